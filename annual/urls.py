from django.urls import path

from . import views, views_pack, views_plan

app_name = "annual"

urlpatterns = [
    path("", views.round_list, name="rounds"),
    path("new/", views.round_create, name="round_create"),
    path("<int:pk>/", views.round_detail, name="round"),
    path("<int:pk>/edit/", views.round_edit, name="round_edit"),
    path("<int:pk>/remind/", views.round_remind, name="round_remind"),
    path("<int:pk>/pack/new/", views_pack.pack_create, name="pack_create"),
    path("<int:pk>/pack/", views_pack.pack_detail, name="pack"),
    path("<int:pk>/pack.pdf", views_pack.pack_pdf, name="pack_pdf"),
    path("<int:pk>/pack/issue/", views_pack.pack_issue, name="pack_issue"),
    path("<int:pk>/plan/new/", views_plan.plan_create, name="plan_create"),
    path("<int:pk>/plan/", views_plan.plan_detail, name="plan"),
    path("<int:pk>/plan/edit/", views_plan.plan_edit, name="plan_edit"),
    path("<int:pk>/plan.docx", views_plan.plan_download, name="plan_docx"),
    path("<int:pk>/plan/approve/", views_plan.plan_approve, name="plan_approve"),
    path("<int:pk>/plan/tasks/", views_plan.plan_tasks, name="plan_tasks"),
    path("submissions/<int:pk>/", views.submission_detail, name="submission"),
    path("submissions/<int:pk>/edit/", views.submission_edit, name="submission_edit"),
    path(
        "submissions/<int:pk>/submit/",
        views.submission_submit,
        name="submission_submit",
    ),
    path(
        "submissions/<int:pk>/approve/",
        views.submission_approve,
        name="submission_approve",
    ),
    path(
        "submissions/<int:pk>/return/",
        views.submission_return,
        name="submission_return",
    ),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path(
        "attachments/<int:pk>/delete/",
        views.attachment_delete,
        name="attachment_delete",
    ),
    path(
        "coordination/<int:pk>/topic/",
        views.coordination_topic,
        name="coordination_topic",
    ),
]
