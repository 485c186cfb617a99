from __future__ import annotations

from django.urls import path

from . import views

app_name = "notices"

# Mounted at /tasks/notifications/, where the bell has always pointed.
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/read/", views.notification_read, name="read"),
    path("read-all/", views.notification_read_all, name="read_all"),
]
