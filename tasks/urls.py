from __future__ import annotations

from django.urls import path

from . import views, views_assign, views_followup, views_ledger, views_plans

app_name = "tasks"

urlpatterns = [
    path("", views_ledger.task_list, name="list"),
    path("export.xlsx", views_ledger.task_export, name="export"),
    path("export.pdf", views_ledger.task_export_pdf, name="export_pdf"),
    path("<int:pk>/", views.task_detail, name="detail"),
    path("<int:pk>/edit/", views_assign.task_edit, name="edit"),
    path("<int:pk>/reassign/", views_assign.task_reassign, name="reassign"),
    path("<int:pk>/sign/", views.task_sign, name="sign"),
    path("<int:pk>/report/", views.task_report, name="report"),
    path("<int:pk>/closure/", views.task_closure, name="closure"),
    path("<int:pk>/extension/", views.extension_request, name="extension"),
    path("<int:pk>/return/", views.task_return, name="return"),
    path("<int:pk>/close/", views.task_close, name="close"),
    path("<int:pk>/waive/", views.task_waive, name="waive"),
    path(
        "from-decision/<int:decision_pk>/",
        views_assign.task_create_from_decision,
        name="create_from_decision",
    ),
    path(
        "from-minutes/<int:minutes_pk>/",
        views_assign.tasks_create_from_minutes,
        name="create_from_minutes",
    ),
    path("reports/<int:pk>/edit/", views.report_edit, name="report_edit"),
    path(
        "extensions/<int:pk>/decide/", views.extension_decide, name="extension_decide"
    ),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path("plans/", views_plans.plan_list, name="plans"),
    path("plans/new/", views_plans.plan_create, name="plan_create"),
    path(
        "plans/import-template.xlsx",
        views_plans.plan_import_template,
        name="plan_import_template",
    ),
    path("plans/<int:pk>/", views_plans.plan_detail, name="plan"),
    path(
        "plans/<int:pk>/new-task/",
        views_assign.task_create_for_plan,
        name="create_for_plan",
    ),
    path("plans/<int:pk>/import/", views_plans.plan_import, name="plan_import"),
    path(
        "plans/<int:pk>/import/confirm/",
        views_plans.plan_import_confirm,
        name="plan_import_confirm",
    ),
    path("follow-up/<int:meeting_pk>/", views_followup.follow_up, name="follow_up"),
    path("workdays/", views_plans.workday_list, name="workdays"),
    path(
        "workdays/<int:pk>/delete/", views_plans.workday_delete, name="workday_delete"
    ),
]
