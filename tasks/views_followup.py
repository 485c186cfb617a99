"""The follow-up review page of a meeting (前次会议议定事项落实情况)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from jinwei_ip.lib.dates import PortalDateField
from jinwei_ip.lib.forms import DateInput, PortalForm
from jinwei_ip.lib.text import OfficialTextField
from meetings.access import get_meeting_for
from members.access import require_overseer

from . import followups
from .models import FollowUp, Task


class FollowUpForm(PortalForm):
    task = forms.IntegerField(widget=forms.HiddenInput)
    disposition = forms.ChoiceField(
        label=_l("处理意见"),
        choices=[("", "—"), *FollowUp.Disposition.choices],
        error_messages={"required": _l("请选择处理意见。")},
    )
    new_due_on = PortalDateField(
        label=_l("调整后的时限"), required=False, widget=DateInput()
    )
    # the disposition prints in the minutes: the official-text rule
    note = OfficialTextField(
        label=_l("说明"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 1}),
    )


def _add_errors(form: forms.Form, error: ValidationError) -> None:
    """A service's refusal on the form: on its field when it names one."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _not_reviewed_message() -> str:
    return _(
        "提交的任务不在本次会议研究的前次会议未办结事项中（页面可能已过期），"
        "未作记录。请刷新页面后在列表中选择。"
    )


def follow_up(request: HttpRequest, meeting_pk: int) -> HttpResponse:
    """Office and leaders read the review; the office records one disposition per
    POST (each row has its own form, so one mistake never loses the others)."""
    require_overseer(request.user)
    meeting = get_meeting_for(request.user, meeting_pk)
    refusal = followups.review_refusal(meeting)
    failed: dict[int, FollowUpForm] = {}
    if request.method == "POST":
        if not request.user.is_office:
            raise PermissionDenied
        form = FollowUpForm(request.POST, prefix="f")
        reviewed = {t.pk for t in followups.review_tasks(meeting)}
        if form.is_valid() and form.cleaned_data["task"] not in reviewed:
            # a task id the page never offered (tampered, or a stale page):
            # said above the list, nothing recorded
            messages.error(request, _not_reviewed_message())
            return redirect("tasks:follow_up", meeting_pk=meeting.pk)
        if form.is_valid():
            task = get_object_or_404(Task, pk=form.cleaned_data["task"])
            try:
                recorded = followups.follow_up_record(
                    meeting=meeting,
                    task=task,
                    disposition=form.cleaned_data["disposition"],
                    new_due_on=form.cleaned_data["new_due_on"],
                    note=form.cleaned_data["note"],
                    by=request.user,
                )
            except ValidationError as e:
                _add_errors(form, e)
            else:
                messages.success(
                    request,
                    _("已记录 %(code)s 的处理意见：%(what)s。")
                    % {
                        "code": task.code,
                        "what": recorded.get_disposition_display(),
                    },
                )
                return redirect("tasks:follow_up", meeting_pk=meeting.pk)
        task_id = form.data.get("f-task", "")
        if str(task_id).isdigit() and int(task_id) in reviewed:
            failed[int(task_id)] = form
        else:
            messages.error(request, _not_reviewed_message())
    rows = followups.review_rows(meeting)
    for row in rows:
        if row.follow_up is not None and row.task.pk in failed:
            # the row shows what was recorded, not the form: say why here
            form = failed.pop(row.task.pk)
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, f"{row.task.code}：{error}")
        row.form = failed.get(row.task.pk) or FollowUpForm(
            prefix="f", initial={"task": row.task.pk}
        )
    return render(
        request,
        "tasks/follow_up.html",
        {
            "meeting": meeting,
            "rows": rows,
            "refusal": refusal,
            "may_record": request.user.is_office and not refusal,
        },
    )
