from __future__ import annotations

from django.urls import path

from . import views, views_reports

app_name = "campaigns"

urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("new/", views.campaign_create, name="create"),
    path("<int:pk>/", views.campaign_detail, name="detail"),
    path("<int:pk>/edit/", views.campaign_edit, name="edit"),
    path("<int:pk>/indicators/", views.campaign_indicators, name="indicators"),
    path("<int:pk>/advance/", views.campaign_advance, name="advance"),
    path("<int:pk>/summary/", views.campaign_summary, name="summary"),
    path("<int:pk>/summary.pdf", views.summary_pdf, name="summary_pdf"),
    path("<int:pk>/figures.xlsx", views.figures_xlsx, name="figures_xlsx"),
    path(
        "<int:pk>/periods/<int:number>/report/",
        views_reports.report_file,
        name="report_file",
    ),
    path(
        "<int:pk>/periods/<int:number>/remind/",
        views_reports.campaign_remind,
        name="remind",
    ),
    path("reports/<int:pk>/", views_reports.report_detail, name="report"),
    path("reports/<int:pk>/return/", views_reports.report_return, name="report_return"),
    path("evidence/<int:pk>/", views_reports.evidence_download, name="evidence"),
]
