"""Pages of the meetings app: one small function per URL and action. Here the
meetings themselves (list, create, edit, detail, held, cancel, attendance, the
.ics download); agenda and topics in ``meetings.views_topics``, minutes in
``meetings.views_minutes``, the calendar subscription in ``meetings.views_calendar``.

Objects come through ``meetings.access`` (404 if not visible, 403 if visible but
not allowed); changes go through ``meetings.services``.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from jinwei_ip.lib.audit import export_event
from jinwei_ip.lib.forms import error_text
from jinwei_ip.lib.ratelimit import limited
from members.access import require_office

from . import services
from .access import get_meeting_for
from .changelog import meeting_changelog
from .forms import AgendaAddForm, MeetingFilterForm, MeetingForm, attendance_formset
from .ics import extra_events, meetings_calendar
from .models import Attendance, Meeting, Minutes, Topic

PER_PAGE = 20


def form_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form, per field where it names one."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


# --- meetings ------------------------------------------------------------------


@require_GET
def meeting_list(request: HttpRequest) -> HttpResponse:
    visible = Meeting.objects.visible_to(request.user)
    years = sorted(set(visible.values_list("year", flat=True)), reverse=True)
    form = MeetingFilterForm(request.GET or None, years=years)
    qs = visible.annotate(
        topic_count=Count(
            "topics",
            filter=Q(topics__status__in=["scheduled", "discussed"]),
            distinct=True,
        )
    ).prefetch_related(
        Prefetch(
            "minutes",
            queryset=Minutes.objects.visible_to(request.user).order_by("-version"),
            to_attr="visible_minutes",
        )
    )
    # Each valid filter applies on its own: a stale or mistyped value in one
    # (an old bookmark's year) must not drop the others.
    form.is_valid()  # cleaned_data then holds the fields that are valid
    d = getattr(form, "cleaned_data", {})
    if d.get("q"):
        qs = qs.filter(
            Q(title__icontains=d["q"])
            | Q(place__icontains=d["q"])
            | Q(subject__icontains=d["q"])
        )
    if d.get("year"):
        qs = qs.filter(year=d["year"])
    if d.get("kind"):
        qs = qs.filter(kind=d["kind"])
    if d.get("status"):
        qs = qs.filter(status=d["status"])
    page = Paginator(qs.order_by("-starts_at", "-pk"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "meetings/meeting_list.html",
        {"form": form, "page": page, "meetings": page.object_list},
    )


def meeting_create(request: HttpRequest) -> HttpResponse:
    require_office(request.user)
    kind = request.GET.get("kind")
    form = MeetingForm(
        request.POST or None,
        initial={"kind": kind} if kind in Meeting.Kind.values else None,
        meeting=None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(data=form.meeting_data(), by=request.user)
        except ValidationError as e:
            form_errors(form, e)
        else:
            messages.success(
                request,
                _("已新建会议“%(t)s”（编号 %(c)s）。")
                % {"t": meeting, "c": meeting.code},
            )
            return redirect(meeting)
    return render(
        request, "meetings/meeting_form.html", {"form": form, "meeting": None}
    )


def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for(request.user, pk, office=True)
    form = MeetingForm(
        request.POST or None,
        initial=MeetingForm.initial_for(meeting),
        meeting=meeting,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(
                meeting=meeting, data=form.meeting_data(), by=request.user
            )
        except ValidationError as e:
            form_errors(form, e)
        else:
            messages.success(request, _("会议信息已保存。"))
            return redirect(meeting)
    return render(
        request, "meetings/meeting_form.html", {"form": form, "meeting": meeting}
    )


@require_GET
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for(request.user, pk)
    user = request.user
    agenda = list(
        meeting.topics.filter(
            status__in=[Topic.Status.SCHEDULED, Topic.Status.DISCUSSED]
        )
        .select_related("raised_by_unit")
        .order_by("agenda_order", "pk")
    )
    rank = {s: i for i, s in enumerate(Attendance.Status.values)}
    attendance = sorted(
        meeting.attendance_in_protocol_order(), key=lambda a: rank[a.status]
    )
    minutes_versions = list(
        Minutes.objects.visible_to(user)
        .filter(meeting=meeting)
        .select_related("supersedes", "superseded_by")
        .order_by("-version")
    )
    context = {
        "meeting": meeting,
        "units": list(meeting.units.all()) if not meeting.is_plenary else None,
        "agenda": agenda,
        "attendance": attendance,
        "attendance_counts": {
            label: sum(1 for a in attendance if a.status == value)
            for value, label in Attendance.Status.choices
        },
        "minutes_versions": minutes_versions,
        "may_draft": user.is_office
        and meeting.is_held
        and not meeting.minutes.exists(),
        "changelog": meeting_changelog(meeting) if user.sees_everything else None,
    }
    if user.is_office and meeting.is_planned:
        context["agenda_form"] = AgendaAddForm()
    return render(request, "meetings/meeting_detail.html", context)


@require_POST
def meeting_mark_held(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for(request.user, pk, office=True)
    try:
        services.meeting_mark_held(meeting=meeting, by=request.user)
    except ValidationError as e:
        messages.error(request, error_text(e))
    else:
        messages.success(request, _("会议已标记为已召开，可以记录出席情况、起草纪要。"))
    return redirect(meeting)


@require_POST
def meeting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for(request.user, pk, office=True)
    try:
        services.meeting_cancel(meeting=meeting, by=request.user)
    except ValidationError as e:
        messages.error(request, error_text(e))
    else:
        messages.success(request, _("会议已取消，议程中的议题已退回待安排。"))
    return redirect(meeting)


def meeting_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for(request.user, pk, office=True)
    if meeting.status == Meeting.Status.CANCELLED:
        messages.error(request, _("已取消的会议不记录出席情况。"))
        return redirect(meeting)
    formset = attendance_formset(meeting, request.POST or None)
    if request.method == "POST" and formset.is_valid():
        try:
            services.attendance_record(
                meeting=meeting, rows=formset.rows(), by=request.user
            )
        except ValidationError as e:
            messages.error(request, error_text(e))
        else:
            messages.success(request, _("出席情况已保存。"))
            return redirect(meeting)
    return render(
        request,
        "meetings/attendance_form.html",
        {"meeting": meeting, "formset": formset},
    )


@require_GET
@limited("export")
def calendar_ics(request: HttpRequest) -> HttpResponse:
    """The signed-in person's meetings as a one-off .ics download. Calendar clients
    have no session: they subscribe to ``views_calendar.calendar_feed``."""
    meetings = list(Meeting.objects.visible_to(request.user).order_by("starts_at"))
    response = HttpResponse(
        meetings_calendar(meetings, extra_events(request.user)),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = 'inline; filename="meetings.ics"'
    response["Cache-Control"] = "private"
    export_event(request, "meetings_ics", count=len(meetings))
    return response
