from __future__ import annotations

from django.contrib import admin

from .models import Pack, Plan, Round, Submission


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    """Read-only here: rounds are opened and changed on their own pages, through
    annual.services (notifications, the units' submissions)."""

    list_display = ["year", "title", "deadline", "requires_head_approval"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ["round", "unit", "status", "submitted_at"]
    list_filter = ["round", "status"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Pack)
class PackAdmin(admin.ModelAdmin):
    list_display = ["meeting", "rendered_at", "page_count", "issued_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "approved_on"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
