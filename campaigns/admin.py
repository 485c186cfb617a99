"""Admin: the office keeps the indicator catalogue here. Campaigns and reports are
shown read-only: every change goes through campaigns.services (grants, history,
notifications)."""

from __future__ import annotations

from django.contrib import admin

from .models import Campaign, Indicator, UnitReport


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "measure",
        "value_type",
        "default_for",
        "cumulative",
        "check_role",
        "order",
        "is_active",
    ]
    list_editable = ["order", "is_active"]
    list_filter = ["default_for", "is_active", "cumulative"]
    search_fields = ["name", "code"]
    fields = [
        "code",
        "name",
        "measure",
        "value_type",
        "default_for",
        "cumulative",
        "check_role",
        "order",
        "is_active",
    ]

    def has_delete_permission(self, request, obj=None) -> bool:
        # an indicator in use keeps its figures; retire it with 启用 instead
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "start_on", "end_on", "organiser", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["name"]


@admin.register(UnitReport)
class UnitReportAdmin(ReadOnlyAdmin):
    list_display = ["campaign", "period", "unit", "status", "submitted_at"]
    list_filter = ["status"]
