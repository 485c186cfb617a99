"""Minutes (纪要) pages: drafting and editing, the approval workflow (submit,
approve, return, issue, correct), the minutes page and its PDF.

The same rules as ``meetings.views``: objects through ``meetings.access``,
changes through ``meetings.services``."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from jinwei_ip.lib.audit import export_event
from jinwei_ip.lib.forms import error_text, rebind_stale
from jinwei_ip.lib.pdf import CJKFontsMissing, fonts_missing_response
from jinwei_ip.lib.ratelimit import limited

from . import services
from .access import get_meeting_for, get_minutes_for, may_read_minutes
from .forms import ReasonForm
from .forms_minutes import MinutesForm, decision_formset
from .hooks import decision_details
from .models import Minutes
from .pdf import minutes_filename, minutes_pdf, name_lists, shown_facts
from .views import form_errors


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
            form_errors(form, e)
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
            form_errors(form, e)
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
            form_errors(form, e)
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
