from django.urls import path

from . import views

app_name = "annual"

urlpatterns = [
    path("", views.round_list, name="rounds"),
    path("new/", views.round_create, name="round_create"),
    path("<int:pk>/", views.round_detail, name="round"),
    path("<int:pk>/edit/", views.round_edit, name="round_edit"),
    path("<int:pk>/remind/", views.round_remind, name="round_remind"),
    path("<int:pk>/pack/new/", views.pack_create, name="pack_create"),
    path("<int:pk>/pack/", views.pack_detail, name="pack"),
    path("<int:pk>/pack.pdf", views.pack_pdf, name="pack_pdf"),
    path("<int:pk>/pack/issue/", views.pack_issue, name="pack_issue"),
    path("<int:pk>/plan/new/", views.plan_create, name="plan_create"),
    path("<int:pk>/plan/", views.plan_detail, name="plan"),
    path("<int:pk>/plan/edit/", views.plan_edit, name="plan_edit"),
    path("<int:pk>/plan.docx", views.plan_download, name="plan_docx"),
    path("<int:pk>/plan/approve/", views.plan_approve, name="plan_approve"),
    path("<int:pk>/plan/tasks/", views.plan_tasks, name="plan_tasks"),
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
