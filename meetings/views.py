"""Pages of the meetings app: one small function per URL and action.

Objects come through ``meetings.access`` (404 if not visible, 403 if visible but
not allowed); changes go through ``meetings.services``.
"""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from jinwei_ip.lib.audit import export_event
from jinwei_ip.lib.forms import error_text, rebind_stale
from jinwei_ip.lib.pdf import CJKFontsMissing, fonts_missing_response
from jinwei_ip.lib.ratelimit import limited
from members.access import require_office

from . import services
from .access import (
    get_meeting_for,
    get_minutes_for,
    get_topic_for,
    may_raise_topic,
    may_read_minutes,
    require_topic_user,
)
from .changelog import meeting_changelog
from .forms import (
    AgendaAddForm,
    MeetingFilterForm,
    MeetingForm,
    MinutesForm,
    ReasonForm,
    TopicForm,
    attendance_formset,
    decision_formset,
)
from .hooks import decision_details
from .ics import extra_events, meetings_calendar
from .models import Attendance, Meeting, Minutes, Topic
from .pdf import minutes_filename, minutes_pdf, name_lists, shown_facts

PER_PAGE = 20


def _form_errors(form, error: ValidationError) -> None:
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
            _form_errors(form, e)
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
            _form_errors(form, e)
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


# --- agenda and topics ----------------------------------------------------------------


@require_POST
def agenda_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for(request.user, pk, office=True)
    form = AgendaAddForm(request.POST)
    if form.is_valid():
        try:
            services.topic_schedule(
                topic=form.cleaned_data["topic"],
                meeting=meeting,
                presenter=form.cleaned_data["presenter"],
                by=request.user,
            )
        except ValidationError as e:
            messages.error(request, error_text(e))
        else:
            messages.success(request, _("议题已列入议程。"))
    else:
        messages.error(
            request,
            "；".join(
                f"{form.fields[n].label}：{e[0]}" for n, e in form.errors.items()
            ),
        )
    return redirect(meeting.get_absolute_url() + "#agenda")


@require_POST
def topic_move(request: HttpRequest, pk: int) -> HttpResponse:
    topic = get_topic_for(request.user, pk, office=True)
    try:
        services.topic_move(
            topic=topic, up=request.POST.get("direction") == "up", by=request.user
        )
    except ValidationError as e:
        messages.error(request, error_text(e))
    return redirect(
        topic.meeting.get_absolute_url() + "#agenda" if topic.meeting_id else topic
    )


@require_POST
def topic_unschedule(request: HttpRequest, pk: int) -> HttpResponse:
    topic = get_topic_for(request.user, pk, office=True)
    meeting = topic.meeting
    try:
        services.topic_unschedule(topic=topic, by=request.user)
    except ValidationError as e:
        messages.error(request, error_text(e))
    else:
        messages.success(request, _("议题已移出议程，回到待安排列表。"))
    return redirect(meeting.get_absolute_url() + "#agenda" if meeting else topic)


@require_POST
def topic_decline(request: HttpRequest, pk: int) -> HttpResponse:
    topic = get_topic_for(request.user, pk, office=True)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.topic_decline(
                topic=topic, reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as e:
            messages.error(request, error_text(e))
        else:
            messages.success(request, _("议题已标记为暂不列入。"))
    else:
        messages.error(request, _("请写明暂不列入的理由。"))
    return redirect(topic)


@require_GET
def topic_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    require_topic_user(user)
    qs = (
        Topic.objects.visible_to(user)
        .select_related("raised_by_unit", "meeting")
        .prefetch_related("related_units")
    )
    side = request.GET.get("side", "") if not user.sees_everything else ""
    if side == "raised":
        qs = qs.filter(raised_by_unit_id=user.unit_id)
    elif side == "asked":
        qs = qs.exclude(raised_by_unit_id=user.unit_id)
    else:
        side = ""
    status = request.GET.get("status", "")
    if status in Topic.Status.values:
        qs = qs.filter(status=status)
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(description__icontains=q))
    page = Paginator(qs.order_by("-created_at", "-pk"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "meetings/topic_list.html",
        {
            "page": page,
            "topics": page.object_list,
            "statuses": Topic.Status.choices,
            "status": status,
            "side": side,
            "q": q,
            "may_raise": may_raise_topic(user),
        },
    )


def topic_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not may_raise_topic(user):
        raise PermissionDenied
    form = TopicForm(
        request.POST or None,
        office=user.is_office,
        unit=None if user.is_office else user.unit,
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        unit = d["unit"] if user.is_office else user.unit
        try:
            topic = services.topic_raise(
                unit=unit,
                by=user,
                title=d["title"],
                description=d["description"],
                related_units=d["related_units"],
            )
        except ValidationError as e:
            _form_errors(form, e)
        else:
            messages.success(
                request, _("议题已提交领导小组办公室，办公室会安排列入会议议程。")
            )
            return redirect(topic)
    return render(request, "meetings/topic_form.html", {"form": form})


@require_GET
def topic_detail(request: HttpRequest, pk: int) -> HttpResponse:
    topic = get_topic_for(request.user, pk)
    return render(
        request,
        "meetings/topic_detail.html",
        {
            "topic": topic,
            "related_units": list(topic.related_units.all()),
            "decline_form": ReasonForm(label=_("暂不列入的理由"))
            if request.user.is_office and topic.is_open
            else None,
            "meeting_visible": topic.meeting_id
            and Meeting.objects.visible_to(request.user)
            .filter(pk=topic.meeting_id)
            .exists(),
        },
    )


# --- minutes -------------------------------------------------------------------------


def _minutes_form_page(request, *, meeting, minutes, form, formset, stale=None):
    return render(
        request,
        "meetings/minutes_form.html",
        {
            "meeting": meeting,
            "minutes": minutes,
            "form": form,
            "formset": formset,
            "stale": stale,
            "stale_decisions": list(stale.decisions.all()) if stale else [],
            "returned": minutes.last_return()
            if minutes is not None and minutes.return_reason
            else None,
        },
    )


def minutes_create(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for(request.user, pk, office=True)
    if meeting.minutes.exists():
        return redirect(meeting.latest_minutes())
    if not meeting.is_held:
        messages.error(request, _("会议召开后才能起草纪要：请先标记会议为已召开。"))
        return redirect(meeting)
    form = MinutesForm(request.POST or None, initial={"title": f"{meeting.title}纪要"})
    formset = decision_formset(None, request.POST or None)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            minutes = services.minutes_draft(
                meeting=meeting,
                by=request.user,
                title=form.cleaned_data["title"],
                narrative=form.cleaned_data["narrative"],
                decisions=formset.decisions(),
            )
        except ValidationError as e:
            _form_errors(form, e)
        else:
            messages.success(request, _("纪要草稿已保存。"))
            return redirect(minutes)
    return _minutes_form_page(
        request, meeting=meeting, minutes=None, form=form, formset=formset
    )


def minutes_edit(request: HttpRequest, pk: int) -> HttpResponse:
    minutes = get_minutes_for(request.user, pk, office=True)
    if not minutes.is_draft:
        messages.error(
            request,
            _("纪要当前状态为“%(s)s”，不能修改。")
            % {"s": minutes.get_status_display()},
        )
        return redirect(minutes)
    form = MinutesForm(
        request.POST or None,
        initial={
            "title": minutes.title,
            "narrative": minutes.narrative,
            "edit_version": minutes.edit_version,
        },
    )
    formset = decision_formset(minutes, request.POST or None)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            services.minutes_update(
                minutes=minutes,
                by=request.user,
                title=form.cleaned_data["title"],
                narrative=form.cleaned_data["narrative"],
                decisions=formset.decisions(),
                edit_version=form.cleaned_data["edit_version"] or 0,
            )
        except services.StaleEdit as stale:
            form = rebind_stale(
                MinutesForm,
                request.POST,
                version=stale.current.edit_version,
                version_field="edit_version",
                error=stale,
            )
            formset = decision_formset(minutes, request.POST)
            formset.is_valid()
            return _minutes_form_page(
                request,
                meeting=minutes.meeting,
                minutes=minutes,
                form=form,
                formset=formset,
                stale=stale.current,
            )
        except ValidationError as e:
            _form_errors(form, e)
        else:
            messages.success(request, _("纪要已保存。"))
            return redirect(minutes)
    return _minutes_form_page(
        request, meeting=minutes.meeting, minutes=minutes, form=form, formset=formset
    )


@require_GET
def minutes_detail(request: HttpRequest, pk: int) -> HttpResponse:
    minutes = get_minutes_for(request.user, pk)
    user = request.user
    decisions = list(
        minutes.decisions.prefetch_related("unit_links__unit").order_by("number")
    )
    for attach in decision_details:  # the tasks made from each decided matter
        attach(user, decisions)
    newer = None
    if minutes.is_superseded and may_read_minutes(user, minutes.superseded_by):
        newer = minutes.superseded_by
    versions = list(
        Minutes.objects.visible_to(user)
        .filter(meeting=minutes.meeting)
        .select_related("superseded_by")
        .order_by("-version")
    )
    # One read of the live meeting (a draft's) for the paper and the name lists.
    facts = shown_facts(minutes)
    return render(
        request,
        "meetings/minutes_detail.html",
        {
            "minutes": minutes,
            "meeting": minutes.meeting,
            "decisions": decisions,
            "newer": newer,
            "versions": versions,
            "facts": facts,
            "name_lists": name_lists(minutes, facts),
            "may_approve": minutes.status == Minutes.Status.SUBMITTED
            and minutes.may_be_approved_by(user),
            "return_form": ReasonForm(label=_("退回理由")),
            "returned": minutes.last_return()
            if minutes.is_draft and minutes.return_reason
            else None,
            "correct_allowed": user.is_office
            and minutes.is_frozen
            and not minutes.is_superseded,
        },
    )


def _minutes_action(request, pk: int, action, success: str, **access) -> HttpResponse:
    minutes = get_minutes_for(request.user, pk, **access)
    try:
        result = action(minutes=minutes, by=request.user)
    except ValidationError as e:
        messages.error(request, error_text(e))
        return redirect(minutes)
    messages.success(request, success)
    return redirect(result)


@require_POST
def minutes_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _minutes_action(
        request, pk, services.minutes_submit, _("纪要已报送审批。"), office=True
    )


@require_POST
def minutes_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _minutes_action(
        request,
        pk,
        services.minutes_approve,
        _("纪要已审批同意，由办公室编号印发。"),
        approver=True,
    )


@require_POST
def minutes_return(request: HttpRequest, pk: int) -> HttpResponse:
    minutes = get_minutes_for(request.user, pk, approver=True)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("退回时请写明退回理由。"))
        return redirect(minutes)
    try:
        services.minutes_return(
            minutes=minutes, by=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as e:
        messages.error(request, error_text(e))
    else:
        messages.success(request, _("纪要已退回办公室修改。"))
    return redirect(minutes)


@require_POST
def minutes_issue(request: HttpRequest, pk: int) -> HttpResponse:
    minutes = get_minutes_for(request.user, pk, office=True)
    try:
        minutes = services.minutes_issue(minutes=minutes, by=request.user)
    except ValidationError as e:
        messages.error(request, error_text(e))
    else:
        messages.success(
            request,
            _("纪要已印发：%(label)s。会议涉及的成员单位现在可以阅读。")
            % {"label": minutes.issue_label},
        )
    return redirect(minutes)


def minutes_correct(request: HttpRequest, pk: int) -> HttpResponse:
    minutes = get_minutes_for(request.user, pk, office=True)
    if not minutes.is_frozen or minutes.is_superseded:
        # Only the issued version without a correction yet is corrected; say where
        # to go instead of offering a form that can only fail.
        if minutes.is_superseded:
            messages.error(
                request,
                _("该版本已有更正版本（第%(v)d版），请在最新版本上操作。")
                % {"v": minutes.superseded_by.version},
            )
            return redirect(minutes.superseded_by)
        messages.error(request, _("纪要尚未印发，请直接修改草稿。"))
        return redirect(minutes)
    form = ReasonForm(request.POST or None, label=_("更正理由"))
    if request.method == "POST" and form.is_valid():
        try:
            new = services.minutes_correct(
                minutes=minutes, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as e:
            _form_errors(form, e)
        else:
            messages.success(
                request,
                _("已建立第%(v)d版（更正稿），修改后按程序报审、印发；原版本保持不变。")
                % {"v": new.version},
            )
            return redirect("meetings:minutes_edit", new.pk)
    return render(
        request, "meetings/minutes_correct.html", {"minutes": minutes, "form": form}
    )


@require_GET
@limited("pdf")
def minutes_download(request: HttpRequest, pk: int) -> HttpResponse:
    minutes = get_minutes_for(request.user, pk)
    try:
        data = minutes_pdf(minutes)
    except CJKFontsMissing:
        return fonts_missing_response(request, minutes, what="Minutes PDF")
    export_event(request, "minutes_pdf", minutes)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="minutes-{minutes.pk}.pdf"; '
        f"filename*=UTF-8''{quote(minutes_filename(minutes))}"
    )
    return response
