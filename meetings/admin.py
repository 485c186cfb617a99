"""Admin for the meetings models: office staff only.

The portal pages (and their services) are the normal way to change meetings; the
admin is the office's tool for looking things up and fixing a typo. Office
accounts hold no global model permissions for meetings (unit accounts hold none at
all), so access is granted here by role.
"""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import Attendance, Decision, Meeting, Minutes, Topic


class OfficeOnlyAdmin(SimpleHistoryAdmin):
    def _office(self, request) -> bool:
        return bool(request.user.is_active and request.user.is_office)

    def has_module_permission(self, request) -> bool:
        return self._office(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._office(request)

    def has_add_permission(self, request) -> bool:
        return self._office(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._office(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        # Deleting would break codes, history and tasks; cancel a meeting instead.
        return False


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    fields = ["person", "unit", "title_at_meeting", "status", "substitute", "note"]
    autocomplete_fields = ["person", "substitute"]

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_office

    def has_add_permission(self, request, obj=None) -> bool:
        return request.user.is_office

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.is_office

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_office


@admin.register(Meeting)
class MeetingAdmin(OfficeOnlyAdmin):
    list_display = ["code", "title", "kind", "starts_at", "place", "status"]
    list_filter = ["kind", "status", "year"]
    search_fields = ["title", "place", "subject"]
    date_hierarchy = "starts_at"
    readonly_fields = [
        "group",
        "year",
        "sequence",
        "created_by",
        "created_at",
        "updated_at",
    ]
    filter_horizontal = ["units"]
    inlines = [AttendanceInline]

    @admin.display(description=_("编号"))
    def code(self, obj: Meeting) -> str:
        return obj.code

    def has_add_permission(self, request) -> bool:
        # New meetings get their number from meetings.services.meeting_create.
        return False


@admin.register(Topic)
class TopicAdmin(OfficeOnlyAdmin):
    list_display = ["title", "raised_by_unit", "status", "meeting", "agenda_order"]
    list_filter = ["status", "raised_by_unit"]
    search_fields = ["title", "description"]
    readonly_fields = ["raised_by", "created_at"]


class DecisionInline(admin.TabularInline):
    model = Decision
    extra = 0
    fields = ["number", "text"]

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_office

    def has_add_permission(self, request, obj=None) -> bool:
        return request.user.is_office and (obj is None or not obj.is_frozen)

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.is_office and (obj is None or not obj.is_frozen)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Minutes)
class MinutesAdmin(OfficeOnlyAdmin):
    list_display = ["title", "meeting", "version", "status", "issue"]
    list_filter = ["status", "issue_year"]
    search_fields = ["title", "narrative"]
    readonly_fields = [
        "meeting",
        "version",
        "status",
        "issue_year",
        "issue_number",
        "supersedes",
        "drafted_by",
        "submitted_at",
        "approved_by",
        "approved_at",
        "issued_by",
        "issued_at",
        "correction_reason",
        "return_reason",
    ]
    inlines = [DecisionInline]

    @admin.display(description=_("期号"))
    def issue(self, obj: Minutes) -> str:
        return obj.issue_label

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        # Issued minutes are frozen: a correction is a new version, made in the portal.
        if obj is not None and obj.is_frozen:
            return False
        return super().has_change_permission(request, obj)


@admin.register(Decision)
class DecisionAdmin(OfficeOnlyAdmin):
    list_display = ["decision_code", "text", "minutes"]
    search_fields = ["text"]
    readonly_fields = ["minutes", "number", "suggested"]
    exclude = ["suggested_units"]

    @admin.display(description=_("编号"))
    def decision_code(self, obj: Decision) -> str:
        return obj.code

    @admin.display(description=_("建议承办单位"))
    def suggested(self, obj: Decision) -> str:
        return "、".join(u.name for u in obj.suggested_units_in_order())

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.minutes.is_frozen:
            return False
        return super().has_change_permission(request, obj)
