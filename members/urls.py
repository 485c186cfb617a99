from django.urls import path

from . import views

app_name = "members"

urlpatterns = [
    path("group/", views.group_detail, name="group"),
    path("group/office/", views.office_detail, name="office"),
    path("units/<slug:code>/", views.unit_detail, name="unit"),
    path("units/<slug:code>/people/", views.unit_people, name="unit_people"),
    path("positions/<int:pk>/", views.position_history, name="position_history"),
    path(
        "positions/<int:pk>/assign/", views.position_assign_view, name="position_assign"
    ),
]
