"""Task workflows (督查督办): the only place tasks change state, grants are written,
history is recorded and units are notified.

Every change goes through ``_claim``: one conditional UPDATE that bumps
``edit_version`` only if the task is still in an allowed state (and, for edits,
still at the version the person saw). Two people acting at once therefore never
overwrite each other: the second is told, on SQLite and PostgreSQL alike. After
the claim the row is saved through the ORM so django-simple-history records the
before/after with who did it (``_history_user``) and why (``_change_reason``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import (
    F,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from duties.models import DutyClause
from jinwei_ip.lib.dates import check_date
from jinwei_ip.lib.forms import StaleEdit
from jinwei_ip.lib.text import check_official_texts
from meetings.models import Decision, Minutes
from members.models import Unit, User
from notices.services import (
    notices_settled,
    notify,
    notify_units,
    office_people,
    unit_people,
)

from . import refusals
from .creation import check_duties as _check_duties
from .creation import check_units as _check_units
from .creation import task_grants_sync, task_write
from .models import (
    CoUnit,
    Evidence,
    Extension,
    ProgressReport,
    Task,
    TaskEvent,
    WorkPlan,
)

S = Task.Status


def _refuse(refusal: str | None) -> None:
    """Raise with the reason a ``tasks.refusals`` rule gives, if it gives one."""
    if refusal:
        raise ValidationError(refusal)


# --- helpers ---------------------------------------------------------------


def next_task_code(base: str) -> str:
    """``base`` if free, else base-2, base-3 … (a second task from one matter)."""
    taken = set(
        Task.objects.filter(code__startswith=base).values_list("code", flat=True)
    )
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def _next_plan_code(plan: WorkPlan) -> str:
    """``<year>-计划-<n>`` with the first free n after the plan's task count: an
    imported plan numbers its rows by their 序号 (20 … 59), and a task assigned
    by hand afterwards was 计划-52-2, a sub-item of an imported row to the eye."""
    prefix = f"{plan.year}-计划-"
    taken = set(
        Task.objects.filter(code__startswith=prefix).values_list("code", flat=True)
    )
    n = plan.tasks.count() + 1
    while f"{prefix}{n}" in taken:
        n += 1
    return f"{prefix}{n}"


def _event(
    task: Task,
    kind: str,
    by: User,
    *,
    unit: Unit | None = None,
    note: str = "",
) -> TaskEvent:
    return TaskEvent.objects.create(
        task=task, kind=kind, actor=by, unit=unit, note=note
    )


def notify_unit(
    task: Task, units: Iterable[Unit], *, text: str, subject: str | None = None
) -> None:
    """Tell the people of ``units`` about ``task`` (the mail names the task)."""
    notify_units(
        units,
        text=text,
        url=task.get_absolute_url(),
        subject=subject,
        context={"task": task},
    )


def _claim(
    task: Task,
    *,
    statuses: Iterable[str] | None = None,
    version: int | None = None,
    refusal: Callable[[Task], str | None] | None = None,
) -> Task:
    """Atomically take the task for one change; returns a fresh, locked copy.

    ``refusal`` is the action's rule (``tasks.refusals``) for the person acting,
    asked of the task as it now is (not as the caller's copy saw it): its reason is
    what a refused or raced change is told. ``statuses`` are the states the rule
    allows, enforced by the conditional UPDATE itself."""
    qs = Task.objects.filter(pk=task.pk)
    if statuses is not None:
        qs = qs.filter(status__in=list(statuses))
    if version is not None:
        qs = qs.filter(edit_version=version)
    if not qs.update(edit_version=F("edit_version") + 1):
        fresh = Task.objects.get(pk=task.pk)
        if version is not None and fresh.edit_version != version:
            raise StaleEdit(
                _(
                    "该任务已被他人修改（当前为第 %(v)d 版），您的修改未保存。"
                    "请查看最新内容后再提交，您填写的内容已保留在下方。"
                )
                % {"v": fresh.edit_version}
            )
        if refusal is not None:
            _refuse(refusal(fresh))
        raise ValidationError(
            _("任务当前状态为“%(status)s”，不能执行此操作。")
            % {"status": fresh.get_status_display()}
        )
    fresh = Task.objects.select_for_update().get(pk=task.pk)
    if refusal is not None:
        _refuse(refusal(fresh))
    return fresh


def _save(task: Task, by: User, reason: str) -> None:
    task._history_user = by
    task._change_reason = reason
    task.save()


# --- assignment ------------------------------------------------------------


@transaction.atomic
def task_assign(
    *,
    decision: Decision | None = None,
    plan: WorkPlan | None = None,
    lead: Unit,
    co_units: Iterable[Unit] = (),
    due: date,
    duties: Iterable[DutyClause] = (),
    title: str,
    description: str,
    by: User,
    code: str | None = None,
    notify_units: bool = True,
) -> Task:
    """Turn a decided matter of issued minutes (or a work-plan item) into a task."""
    if (decision is None) == (plan is None):
        raise ValidationError(_("任务必须来自一项议定事项或一份工作计划。"))
    if decision is not None:
        decision = Decision.objects.select_related("minutes__meeting").get(
            pk=decision.pk
        )
        if decision.minutes.status != Minutes.Status.ISSUED:
            raise ValidationError(_("会议纪要印发后，议定事项才能转为督办任务。"))
        if not decision.minutes.is_current:
            raise ValidationError(
                _("该版纪要已被更正版本取代，请在现行版本中将议定事项转为督办任务。")
            )
        base = decision.code
    else:
        base = _next_plan_code(plan)
    check_date(due, field="due", label=_("完成时限"))
    check_official_texts(
        {
            "title": (_("任务名称"), title),
            "description": (_("任务内容"), description),
        }
    )
    co = _check_units(lead, co_units)
    duties = _check_duties(duties, [lead, *co])
    now = timezone.now()
    task = Task(
        code=next_task_code(code or base),
        title=title.strip(),
        description=description.strip(),
        decision=decision,
        plan=plan,
        lead_unit=lead,
        original_due_on=due,
        due_on=due,
        last_activity_at=now,
        created_by=by,
    )
    task_write(task, co_units=co, duties=duties, by=by)
    if notify_units:
        notify_unit(
            task,
            [lead, *co],
            text=_("新交办任务 %(code)s：%(title)s，完成时限 %(due)s")
            % {"code": task.code, "title": task.title, "due": due.isoformat()},
            subject=_("【督办任务】%(code)s %(title)s")
            % {"code": task.code, "title": task.title},
        )
    return task


@transaction.atomic
def task_reassign(
    *,
    task: Task,
    lead: Unit,
    co_units: Iterable[Unit],
    due: date,
    by: User,
    version: int,
) -> Task:
    """The office changes the units or corrects the deadline (not an extension).

    Grants are rewritten, so a unit taken off the task stops seeing it. A deadline
    corrected before any extension was approved also corrects the original one.
    """
    check_date(due, field="due", label=_("完成时限"))
    task = _claim(
        task,
        statuses=refusals.OPEN,
        version=version,
        refusal=lambda fresh: refusals.edit_refusal(by, fresh),
    )
    co = _check_units(lead, co_units)
    before = (
        task.lead_unit,
        list(task.co_units.all()),
        task.due_on,
    )
    changes = []
    if before[0].pk != lead.pk:
        changes.append(
            _("牵头单位：%(a)s → %(b)s") % {"a": before[0].name, "b": lead.name}
        )
    if {u.pk for u in before[1]} != {u.pk for u in co}:
        changes.append(
            _("配合单位：%(a)s → %(b)s")
            % {
                "a": "、".join(u.name for u in before[1]) or _("无"),
                "b": "、".join(u.name for u in co) or _("无"),
            }
        )
    if before[2] != due:
        changes.append(
            _("完成时限：%(a)s → %(b)s")
            % {"a": before[2].isoformat(), "b": due.isoformat()}
        )
    if not changes:
        raise ValidationError(_("没有需要调整的内容。"))
    task.lead_unit = lead
    if due != task.due_on:
        if not task.extensions.filter(status=Extension.Status.APPROVED).exists():
            task.original_due_on = due
        task.due_on = due
    if lead.pk != before[0].pk and task.status == S.SIGNED:
        task.status = S.ASSIGNED  # the new lead unit signs for it again
        task.signed_at = None
        task.signed_by = None
    task.last_activity_at = timezone.now()
    _save(task, by, _("调整承办单位"))
    CoUnit.objects.filter(task=task).exclude(unit__in=co).delete()
    existing = set(CoUnit.objects.filter(task=task).values_list("unit_id", flat=True))
    CoUnit.objects.bulk_create(
        [CoUnit(task=task, unit=u) for u in co if u.pk not in existing]
    )
    task.duties.remove(
        *task.duties.exclude(unit__in=[lead, *co])
    )  # duties of units no longer on the task
    task_grants_sync(task)
    note = "；".join(changes)
    _event(task, TaskEvent.Kind.REASSIGNED, by, unit=lead, note=note)
    new_units = [lead, *co]
    notify_unit(
        task,
        new_units,
        text=_("任务 %(code)s 已调整：%(note)s") % {"code": task.code, "note": note},
        subject=_("【督办任务调整】%(code)s %(title)s")
        % {"code": task.code, "title": task.title},
    )
    return task


@transaction.atomic
def task_edit(
    *,
    task: Task,
    title: str,
    description: str,
    duties: Iterable[DutyClause],
    by: User,
    version: int,
) -> Task:
    """The office edits the wording and duty clauses of an open task."""
    task = _claim(
        task,
        statuses=refusals.OPEN,
        version=version,
        refusal=lambda fresh: refusals.edit_refusal(by, fresh),
    )
    duties = _check_duties(duties, [task.lead_unit, *task.co_units.all()])
    task.title = title.strip()
    task.description = description.strip()
    _save(task, by, _("修改任务内容"))
    task.duties.set(duties)
    _event(task, TaskEvent.Kind.EDITED, by)
    return task


# --- the unit's side -------------------------------------------------------


@transaction.atomic
def task_acknowledge(*, task: Task, by: User) -> Task:
    """A co-unit acknowledges its part of the task (确认收到配合任务)."""
    task = Task.objects.get(pk=task.pk)
    _refuse(refusals.acknowledge_refusal(by, task))
    link = CoUnit.objects.select_for_update().get(task=task, unit=by.unit)
    if link.acknowledged_at is None:  # not meanwhile by a colleague
        link.acknowledged_at = timezone.now()
        link.save(update_fields=["acknowledged_at"])
        _event(task, TaskEvent.Kind.ACKNOWLEDGED, by, unit=by.unit)
    return task


@transaction.atomic
def task_sign(*, task: Task, by: User) -> Task:
    """The lead unit signs for the task (签收)."""
    unit = by.unit
    task = _claim(
        task,
        statuses=[S.ASSIGNED],
        refusal=lambda fresh: refusals.sign_refusal(by, fresh),
    )
    now = timezone.now()
    task.status = S.SIGNED
    task.signed_at = now
    task.signed_by = by
    task.last_activity_at = now
    _save(task, by, _("签收"))
    _event(task, TaskEvent.Kind.SIGNED, by, unit=unit)
    return task


@transaction.atomic
def progress_report_file(
    *,
    task: Task,
    by: User,
    text: str,
    percent: int,
    files: Sequence[UploadedFile] = (),
) -> ProgressReport:
    """A unit reports progress. The lead unit's report covers the whole task and
    sets its progress; a co-unit's report covers its part."""
    unit = by.unit
    task = _claim(
        task,
        statuses=refusals.OPEN,
        refusal=lambda fresh: refusals.report_refusal(by, fresh),
    )
    is_lead = refusals.is_lead(by, task)
    if is_lead:
        task.status = S.IN_PROGRESS
        task.progress = percent
    task.last_activity_at = timezone.now()
    _save(task, by, _("报送进展"))
    report = ProgressReport(
        task=task,
        unit=unit,
        author=by,
        text=text.strip(),
        percent=percent,
        is_lead_report=is_lead,
    )
    report._history_user = by
    report.save()
    for upload in files:
        Evidence.objects.create(
            report=report,
            file=upload,
            original_name=os.path.basename(upload.name)[:200],
            content_type=getattr(upload, "sniffed_type", "")
            or upload.content_type
            or "application/octet-stream",
            size=upload.size,
        )
    _event(
        task,
        TaskEvent.Kind.REPORTED,
        by,
        unit=unit,
        note=(_("总体进度 %(p)d%%") if is_lead else _("配合部分进度 %(p)d%%"))
        % {"p": percent},
    )
    if not is_lead:
        notify(
            unit_people([task.lead_unit]),
            text=_("%(unit)s 报送了任务 %(code)s 的配合进展")
            % {"unit": unit.name, "code": task.code},
            url=report.get_absolute_url(),
        )
    return report


@transaction.atomic
def progress_report_edit(
    *, report: ProgressReport, by: User, text: str, percent: int, version: int
) -> ProgressReport:
    """The reporting unit corrects its report while the task is open and not
    under the office's closure review (what the office verifies must not change
    under it; a return reopens the reports)."""
    qs = ProgressReport.objects.filter(pk=report.pk, edit_version=version)
    _refuse(
        refusals.report_edit_refusal(
            by, ProgressReport.objects.select_related("task").get(pk=report.pk)
        )
    )
    if not qs.update(edit_version=F("edit_version") + 1):
        current = ProgressReport.objects.get(pk=report.pk)
        raise StaleEdit(
            _(
                "该进展报告已被他人修改（当前为第 %(v)d 版），您的修改未保存。"
                "请查看最新内容后再提交，您填写的内容已保留在下方。"
            )
            % {"v": current.edit_version}
        )
    report = ProgressReport.objects.select_for_update().get(pk=report.pk)
    report.text = text.strip()
    report.percent = percent
    report._history_user = by
    report._change_reason = _("修改进展报告")
    report.save()
    task = report.task
    if (
        report.is_lead_report
        and task.reports.filter(is_lead_report=True).first() == report
    ):
        task = _claim(task)
        task.progress = percent
        task.last_activity_at = timezone.now()
        _save(task, by, _("修改进展报告"))
    _event(
        task,
        TaskEvent.Kind.EDITED,
        by,
        unit=report.unit,
        note=_("修改了进展报告（%(p)d%%）") % {"p": percent},
    )
    return report


@transaction.atomic
def closure_request(*, task: Task, by: User, note: str = "") -> Task:
    """The lead unit asks for closure (申请销号) once every co-unit has reported
    its part or the office has waived it."""
    unit = by.unit
    task = _claim(
        task,
        statuses=refusals.LEAD_WORKABLE,
        refusal=lambda fresh: refusals.closure_refusal(by, fresh),
    )
    now = timezone.now()
    task.status = S.CLOSURE_REQUESTED
    task.closure_requested_at = now
    task.last_activity_at = now
    _save(task, by, _("申请销号"))
    _event(task, TaskEvent.Kind.CLOSURE_REQUESTED, by, unit=unit, note=note.strip())
    notify(
        office_people(),
        text=_("%(unit)s 申请销号：%(code)s %(title)s")
        % {"unit": unit.name, "code": task.code, "title": task.title},
        url=task.get_absolute_url(),
    )
    return task


@transaction.atomic
def co_unit_waive(*, task: Task, unit: Unit, by: User, note: str = "") -> CoUnit:
    """The office excuses a co-unit that has not reported from reporting before
    closure."""
    _refuse(refusals.waive_refusal(by, Task.objects.get(pk=task.pk), unit))
    link = CoUnit.objects.select_for_update().get(task=task, unit=unit)
    if not link.report_waived:
        link.report_waived = True
        link.waived_by = by
        link.save(update_fields=["report_waived", "waived_by"])
        _event(task, TaskEvent.Kind.WAIVED, by, unit=unit, note=note.strip())
    return link


# --- the office's side -----------------------------------------------------


@transaction.atomic
def task_return(
    *, task: Task, by: User, reason: str, report: ProgressReport | None = None
) -> Task:
    """The office returns a report or a closure request with a reason (退回)."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("请填写退回理由。")})
    task = _claim(
        task,
        statuses=refusals.RETURNABLE,
        refusal=lambda fresh: refusals.return_refusal(by, fresh),
    )
    units = [task.lead_unit]
    if report is not None:
        if report.task_id != task.pk:
            raise ValidationError(_("该进展报告不属于本任务。"))
        report.returned_reason = reason
        report._history_user = by
        report._change_reason = _("退回")
        report.save(update_fields=["returned_reason", "updated_at"])
        if report.unit_id != task.lead_unit_id:
            units.append(report.unit)
    was_closure = task.status == S.CLOSURE_REQUESTED
    task.status = S.RETURNED
    task.return_reason = reason
    task.closure_requested_at = None
    task.last_activity_at = timezone.now()
    _save(task, by, _("退回"))
    what = _("销号申请") if was_closure else _("进展报告")
    _event(
        task,
        TaskEvent.Kind.RETURNED,
        by,
        unit=units[-1],
        note=_("退回%(what)s：%(reason)s") % {"what": what, "reason": reason},
    )
    notify_unit(
        task,
        units,
        text=_("任务 %(code)s 的%(what)s被退回：%(reason)s")
        % {"code": task.code, "what": what, "reason": reason},
        subject=_("【退回】%(code)s %(title)s")
        % {"code": task.code, "title": task.title},
    )
    return task


@transaction.atomic
def task_close(*, task: Task, by: User, note: str = "") -> Task:
    """The office verifies and closes the task (销号)."""
    task = _claim(
        task,
        statuses=[S.CLOSURE_REQUESTED],
        refusal=lambda fresh: refusals.close_refusal(by, fresh),
    )
    now = timezone.now()
    task.status = S.CLOSED
    task.closed_at = now
    task.closed_by = by
    task.progress = 100
    task.last_activity_at = now
    _save(task, by, _("销号"))
    _event(task, TaskEvent.Kind.CLOSED, by, note=note.strip())
    # The office was asked to verify the closure: no longer pending for any of it.
    notices_settled(task.get_absolute_url(), when=now, recipients=office_people())
    notify_unit(
        task,
        [task.lead_unit, *task.co_units.all()],
        text=_("任务 %(code)s 已销号") % {"code": task.code},
    )
    return task
