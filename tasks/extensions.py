"""Extensions (延期): the lead unit asks to move a task's deadline, the office or a
leader decides; the old and new deadlines and every request stay on record. Each
decision is a claimed change of the task like the other workflows
(``tasks.services``), with its history, timeline entry and notifications."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jinwei_ip.lib.dates import date_refusal
from members.models import User
from notices.services import notices_settled, notify, office_people

from . import refusals
from .models import Extension, Task, TaskEvent
from .services import _claim, _event, _refuse, _save, notify_unit

S = Task.Status


def extension_latest(due: date) -> date:
    """The latest date one extension of a task due on ``due`` may ask for: the same
    day a year later (28 February for 29 February). A task that needs longer is no
    longer the decided matter it was and is re-assigned instead; the cap also stops
    a mistyped year (2099 for 2029) from being approved unread."""
    if due.year >= date.max.year:
        # a date already at the calendar's end (stored before the range existed)
        return date.max
    try:
        return due.replace(year=due.year + 1)
    except ValueError:
        return due.replace(year=due.year + 1, day=28)


def extension_date_refusal(due_on: date, new_due_on: date) -> str | None:
    """Why a task due on ``due_on`` cannot be moved to ``new_due_on`` (None when it
    can): the one statement of the date's limits, which the request form shows
    beside the other fields' errors and ``extension_request`` enforces."""
    out_of_range = date_refusal(new_due_on, label=_("申请延至的日期"))
    if out_of_range:
        return out_of_range
    if new_due_on <= due_on:
        return _("申请延至的日期必须晚于现行时限 %(d)s。") % {"d": due_on}
    today = timezone.localdate()
    if new_due_on < today:
        # an overdue task moved to another past date would stay red once approved
        return _("申请延至的日期 %(d)s 已过，请填写今天（%(t)s）或以后的日期。") % {
            "d": new_due_on,
            "t": today,
        }
    latest = extension_latest(due_on)
    if new_due_on > latest:
        return _(
            "一次延期最长一年：申请延至的日期不能晚于 %(d)s；"
            "确需更长时间的，请与办公室商定后重新交办。"
        ) % {"d": latest}
    return None


@transaction.atomic
def extension_request(
    *, task: Task, by: User, reason: str, new_due_on: date
) -> Extension:
    """The lead unit asks to move the deadline (延期), giving a reason."""
    unit = by.unit
    task = _claim(
        task,
        statuses=refusals.EXTENDABLE,
        refusal=lambda fresh: refusals.extension_refusal(by, fresh),
    )
    refusal = extension_date_refusal(task.due_on, new_due_on)
    if refusal:
        raise ValidationError({"new_due_on": refusal})
    extension = Extension(
        task=task,
        unit=unit,
        requested_by=by,
        reason=reason.strip(),
        old_due_on=task.due_on,
        new_due_on=new_due_on,
    )
    extension._history_user = by
    extension.save()
    task.last_activity_at = timezone.now()
    _save(task, by, _("申请延期"))
    _event(
        task,
        TaskEvent.Kind.EXTENSION_REQUESTED,
        by,
        unit=unit,
        note=_("申请由 %(old)s 延至 %(new)s：%(reason)s")
        % {"old": task.due_on, "new": new_due_on, "reason": extension.reason},
    )
    approvers = office_people() + list(
        User.objects.filter(role=User.Role.LEADER, is_active=True)
    )
    notify(
        approvers,
        text=_("%(unit)s 申请任务 %(code)s 延期至 %(new)s")
        % {"unit": unit.name, "code": task.code, "new": new_due_on},
        url=extension.get_absolute_url(),
    )
    return extension


@transaction.atomic
def extension_decide(
    *, extension: Extension, approve: bool, by: User, note: str = ""
) -> Extension:
    """The office or a leader approves or rejects; on approval the deadline moves
    and the original deadline and every request stay on record."""
    extension = (
        Extension.objects.select_for_update(of=("self",))
        .select_related("task")
        .get(pk=extension.pk)
    )
    _refuse(refusals.extension_decide_refusal(by, extension))
    if not approve and not note.strip():
        # the unit must learn why its deadline stands
        raise ValidationError({"note": _("不予延期时请填写审批意见（理由）。")})
    task = _claim(extension.task, statuses=refusals.OPEN)
    extension.status = (
        Extension.Status.APPROVED if approve else Extension.Status.REJECTED
    )
    extension.decided_by = by
    extension.decided_at = timezone.now()
    extension.decision_note = note.strip()
    extension._history_user = by
    extension._change_reason = extension.get_status_display()
    extension.save()
    if approve:
        task.due_on = max(task.due_on, extension.new_due_on)
    _save(task, by, _("批准延期") if approve else _("不予延期"))
    kind = (
        TaskEvent.Kind.EXTENSION_APPROVED
        if approve
        else TaskEvent.Kind.EXTENSION_REJECTED
    )
    _event(
        task,
        kind,
        by,
        unit=extension.unit,
        note=(
            _("完成时限由 %(old)s 延至 %(new)s")
            % {
                "old": extension.old_due_on,
                "new": extension.new_due_on,
            }
            if approve
            else _("维持完成时限 %(old)s") % {"old": task.due_on}
        )
        + (f"；{extension.decision_note}" if extension.decision_note else ""),
    )
    notify_unit(
        task,
        [extension.unit],
        text=(
            _("任务 %(code)s 延期申请已批准，新时限 %(new)s")
            if approve
            else _("任务 %(code)s 延期申请未获批准")
        )
        % {"code": task.code, "new": extension.new_due_on},
    )
    # Every approver was told of the request; once one has decided, it is no
    # longer waiting in the others' lists.
    notices_settled(extension.get_absolute_url(), when=extension.decided_at)
    return extension
