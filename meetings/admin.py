"""Admin for the meetings models: office staff only.

The portal pages (and their services) are the normal way to change meetings; the
admin is the office's tool for looking things up and fixing a typo. Office
accounts hold no global model permissions for meetings (unit accounts hold none at
all), so access is granted here by role.

Who may open a meeting follows from its kind, its units, its agenda and its
minutes (``meetings.services.meeting_grants_sync``). The admin therefore saves a
meeting through ``meeting_update``, the page's service, and shows what only the
page's workflows change (a meeting's status, a topic's meeting, place on the
agenda and status, the minutes' status) read-only.
"""

from __future__ import annotations

import dataclasses

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import Attendance, Decision, Meeting, Minutes, Topic
from .services import (
    MeetingData,
    meeting_data_from,
    meeting_update,
    meeting_update_check,
)


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


class MeetingAdminForm(forms.ModelForm):
    """The fields of ``MeetingData``, checked by the service's own rules."""

    class Meta:
        model = Meeting
        fields = [f.name for f in dataclasses.fields(MeetingData)]

    def clean(self) -> dict:
        data = super().clean()
        if not self.errors:
            current = Meeting.objects.get(pk=self.instance.pk)
            try:
                meeting_update_check(current, meeting_data_from(data))
            except ValidationError as error:
                self.add_error(None, error)
        return data


@admin.register(Meeting)
class MeetingAdmin(OfficeOnlyAdmin):
    list_display = ["code", "title", "kind", "starts_at", "place", "status"]
    list_filter = ["kind", "status", "year"]
    search_fields = ["title", "place", "subject"]
    date_hierarchy = "starts_at"
    form = MeetingAdminForm
    readonly_fields = [
        "group",
        "year",
        "sequence",
        "status",
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

    def save_model(self, request, obj, form, change) -> None:
        # Saved with its units in save_related, through the service.
        pass

    def save_related(self, request, form, formsets, change) -> None:
        meeting_update(
            meeting=form.instance,
            data=meeting_data_from(form.cleaned_data),
            by=request.user,
        )
        form.instance.refresh_from_db()
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


@admin.register(Topic)
class TopicAdmin(OfficeOnlyAdmin):
    list_display = ["title", "raised_by_unit", "status", "meeting", "agenda_order"]
    list_filter = ["status", "raised_by_unit"]
    search_fields = ["title", "description"]
    # A topic's unit, meeting, place and status decide who may open the meeting
    # (its agenda's units): they change only through the topic pages' services.
    readonly_fields = [
        "raised_by_unit",
        "raised_by",
        "meeting",
        "agenda_order",
        "status",
        "decline_reason",
        "created_at",
    ]

    def has_add_permission(self, request) -> bool:
        # Topics are raised by units on the topic pages (meetings.services.topic_raise).
        return False


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
