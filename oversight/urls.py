from __future__ import annotations

from django.urls import path

from . import views, views_queue

app_name = "dashboard"

urlpatterns = [
    path("", views.index, name="index"),
    path("tasks/", views.figure_list, name="figure_tasks"),
    path("queue/", views_queue.queue, name="queue"),
    path("queue/summary/", views_queue.queue_summary, name="queue_summary"),
    path("bulletins/", views.bulletin_list, name="bulletins"),
    path("bulletins/new/", views.bulletin_new, name="bulletin_new"),
    path("bulletins/<int:pk>/", views.bulletin_detail, name="bulletin"),
    path("bulletins/<int:pk>/edit/", views.bulletin_edit, name="bulletin_edit"),
    path(
        "bulletins/<int:pk>/campaigns/",
        views.bulletin_campaigns,
        name="bulletin_campaigns",
    ),
    path("bulletins/<int:pk>/issue/", views.bulletin_issue, name="bulletin_issue"),
    path(
        "bulletins/<int:pk>/discard/", views.bulletin_discard, name="bulletin_discard"
    ),
    path("bulletins/<int:pk>/pdf/", views.bulletin_pdf, name="bulletin_pdf"),
]
