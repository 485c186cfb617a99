"""Admin: the working-day table is edited here or on /tasks/workdays/; tasks are
shown read-only, because every change to a task must go through tasks.services
(history, grants, notifications)."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Task, WorkdayOverride, WorkPlan


@admin.register(WorkdayOverride)
class WorkdayOverrideAdmin(admin.ModelAdmin):
    list_display = ["day", "is_workday", "note"]
    list_filter = ["is_workday"]
    date_hierarchy = "day"


@admin.register(Task)
class TaskAdmin(SimpleHistoryAdmin):
    list_display = ["code", "title", "lead_unit", "due_on", "status", "progress"]
    list_filter = ["status", "lead_unit"]
    search_fields = ["code", "title"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(WorkPlan)
class WorkPlanAdmin(admin.ModelAdmin):
    list_display = ["title", "year", "created_at"]

    def has_add_permission(self, request) -> bool:
        return False
