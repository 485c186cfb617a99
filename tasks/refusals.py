"""Why a person may not do an action on a task now: one function per action,
returning ``None`` when they may, else the reason in Chinese.

The task services raise ``ValidationError`` with these reasons before they change
anything, and the task page asks the same functions which buttons to offer
(``tasks.access.task_actions``), so the page offers exactly what the services
accept. The states an action needs are the constants below, which the services'
``_claim`` also enforces in one conditional UPDATE, so two people acting at once
are refused with the same reason.

Who is who comes from the task's units (the lead unit, the co-units); the object
permissions in ``members.grants`` are written from the same units, so the access
helpers (404/403) and these rules agree.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from members.models import Unit, User

from .models import CoUnit, Extension, ProgressReport, Task

S = Task.Status
OPEN = frozenset(s for s in S.values if s != S.CLOSED)
# the lead unit reports and asks for closure once it has signed, until the office reviews
LEAD_WORKABLE = frozenset({S.SIGNED, S.IN_PROGRESS, S.RETURNED})
# no extension while the office reviews a closure request
EXTENDABLE = OPEN - {S.CLOSURE_REQUESTED}
RETURNABLE = frozenset({S.IN_PROGRESS, S.CLOSURE_REQUESTED})


def preload(
    task: Task,
    *,
    co_links: list[CoUnit],
    reports: list[ProgressReport],
    extensions: list[Extension],
) -> None:
    """Give the rules what the task page has already read, so asking them for
    every button costs no query."""
    task.__dict__["_co_links"] = co_links
    task.__dict__["_reported"] = {(r.unit_id, r.is_lead_report) for r in reports}
    task.__dict__["_pending"] = any(
        e.status == Extension.Status.PENDING for e in extensions
    )


def _co_links(task: Task) -> list[CoUnit]:
    if "_co_links" not in task.__dict__:
        task.__dict__["_co_links"] = list(task.co_unit_links.select_related("unit"))
    return task.__dict__["_co_links"]


def _reported(task: Task) -> set[tuple[int, bool]]:
    """(unit id, is the lead's report) of every report on the task."""
    if "_reported" not in task.__dict__:
        task.__dict__["_reported"] = set(
            task.reports.values_list("unit_id", "is_lead_report")
        )
    return task.__dict__["_reported"]


def _has_pending_extension(task: Task) -> bool:
    if "_pending" not in task.__dict__:
        task.__dict__["_pending"] = task.extensions.filter(
            status=Extension.Status.PENDING
        ).exists()
    return task.__dict__["_pending"]


def is_lead(user: User, task: Task) -> bool:
    """An account of the task's lead unit (牵头单位)."""
    return user.is_unit_member and user.unit_id == task.lead_unit_id


def co_link(user: User, task: Task) -> CoUnit | None:
    """The user's unit's place among the task's co-units (配合单位), if it has one."""
    if not user.is_unit_member or user.unit_id == task.lead_unit_id:
        return None
    return next(
        (link for link in _co_links(task) if link.unit_id == user.unit_id), None
    )


def _state(task: Task) -> str:
    return _("任务当前状态为“%(status)s”，不能执行此操作。") % {
        "status": task.get_status_display()
    }


def _not_on_task(user: User) -> str:
    if not user.is_unit_member:
        return _("只有成员单位的联络员或负责同志可以办理。")
    return _("本单位不是该任务的承办单位。")


# --- the units' side ----------------------------------------------------------


def sign_refusal(user: User, task: Task) -> str | None:
    """签收: the lead unit, while the task is newly assigned."""
    if not is_lead(user, task):
        if co_link(user, task) is not None:
            return _("只有牵头单位签收任务；配合单位请确认收到配合任务。")
        return _not_on_task(user)
    if task.status != S.ASSIGNED:
        return _state(task)
    return None


def acknowledge_refusal(user: User, task: Task) -> str | None:
    """确认收到配合任务: a co-unit, once, while the task is open."""
    link = co_link(user, task)
    if link is None:
        if is_lead(user, task):
            return _("牵头单位请签收任务；确认收到是配合单位的事。")
        return _not_on_task(user)
    if task.status == S.CLOSED:
        return _("任务已销号。")
    if link.acknowledged_at is not None:
        return _("本单位已确认收到配合任务。")
    return None


def report_refusal(user: User, task: Task) -> str | None:
    """报送进展: the lead unit once it has signed and until it asks for closure;
    a co-unit (its part) whenever the task is open, signed or not."""
    if is_lead(user, task):
        if task.status in LEAD_WORKABLE:
            return None
        return {
            S.ASSIGNED: _("请先签收任务，再报送进展。"),
            S.CLOSURE_REQUESTED: _(
                "已申请销号，等待办公室审核；如需补充请待退回后再报送。"
            ),
            S.CLOSED: _("任务已销号。"),
        }.get(task.status, _state(task))
    if co_link(user, task) is None:
        return _not_on_task(user)
    if task.status == S.CLOSED:
        return _("任务已销号。")
    return None


def report_edit_refusal(user: User, report: ProgressReport) -> str | None:
    """修改进展报告: the reporting unit, while the task is open and not under the
    office's closure review (what the office verifies must not change under it)."""
    if not (user.is_unit_member and user.unit_id == report.unit_id):
        return _("只能修改本单位报送的进展报告。")
    if report.task.status == S.CLOSED:
        return _("任务已销号，进展报告不能再修改。")
    if report.task.status == S.CLOSURE_REQUESTED:
        return _("已申请销号，办公室审核期间进展报告不能修改；如需修改请待退回后再改。")
    return None


def closure_missing_co_units(task: Task) -> list[str]:
    """Names of the co-units that still stand between the task and 申请销号:
    neither reported their part nor excused by the office."""
    reported = {unit_id for unit_id, _lead in _reported(task)}
    return [
        link.unit.name
        for link in _co_links(task)
        if not link.report_waived and link.unit_id not in reported
    ]


def closure_refusal(user: User, task: Task) -> str | None:
    """申请销号: the lead unit, once its own report says the task is done (100 %)
    and every co-unit has reported its part or been excused."""
    if not is_lead(user, task):
        return (
            _("只有牵头单位可以申请销号。")
            if user.is_unit_member
            else _not_on_task(user)
        )
    if task.status not in LEAD_WORKABLE:
        return _state(task)
    if (task.lead_unit_id, True) not in _reported(task):
        return _("请先报送牵头单位的总体进展，再申请销号。")
    missing = closure_missing_co_units(task)
    if missing:
        return _(
            "配合单位 %(units)s 尚未报送配合进展，暂不能申请销号（可请办公室确认免报）。"
        ) % {"units": "、".join(missing)}
    if task.progress < 100:
        # 申请销号 says the task is done: the lead's report must say so first.
        return _(
            "总体进度为 %(p)d%%，请先报送办结情况（完成进度 100%%）再申请销号。"
        ) % {"p": task.progress}
    return None


def extension_pending_message() -> str:
    return _("已有一项延期申请待审批。")


def extension_refusal(user: User, task: Task) -> str | None:
    """申请延期: the lead unit, while the task is open and not under closure
    review, one request at a time."""
    if not is_lead(user, task):
        return (
            _("只有牵头单位可以申请延期。")
            if user.is_unit_member
            else _not_on_task(user)
        )
    if task.status == S.CLOSED:
        return _("任务已销号。")
    if task.status == S.CLOSURE_REQUESTED:
        return _("已申请销号，等待办公室审核；如需延期请待退回后再申请。")
    if _has_pending_extension(task):
        return extension_pending_message()
    return None


# --- the office's and the leaders' side ---------------------------------------


def extension_decide_refusal(user: User, extension: Extension) -> str | None:
    """审批延期: the office or a leader, once, while the task is open."""
    if not user.sees_everything:
        return _("只有办公室或领导小组领导可以审批延期。")
    if extension.status != Extension.Status.PENDING:
        return _("该延期申请已审批。")
    if extension.task.status == S.CLOSED:
        return _("任务已销号。")
    return None


def _office(user: User, task: Task) -> str | None:
    if not user.is_office:
        return _("只有办公室可以办理此事项。")
    return None


def return_refusal(user: User, task: Task) -> str | None:
    """退回: the office, a report in progress or a closure request."""
    refusal = _office(user, task)
    if refusal is None and task.status not in RETURNABLE:
        refusal = _state(task)
    return refusal


def close_refusal(user: User, task: Task) -> str | None:
    """销号: the office, on the lead unit's closure request."""
    refusal = _office(user, task)
    if refusal is None and task.status != S.CLOSURE_REQUESTED:
        refusal = _state(task)
    return refusal


def waive_refusal(user: User, task: Task, unit: Unit) -> str | None:
    """免于报送: the office excuses a co-unit that has not reported, while the task
    is open."""
    refusal = _office(user, task)
    if refusal is not None:
        return refusal
    if task.status == S.CLOSED:
        return _("任务已销号。")
    link = next((x for x in _co_links(task) if x.unit_id == unit.pk), None)
    if link is None:
        return _("该单位不是本任务的配合单位。")
    if link.report_waived:
        return _("该单位已免于报送。")
    if unit.pk in {unit_id for unit_id, _lead in _reported(task)}:
        return _("该单位已报送配合进展，无需免报。")
    return None


def edit_refusal(user: User, task: Task) -> str | None:
    """修改任务内容, 调整承办单位/时限: the office, while the task is open."""
    refusal = _office(user, task)
    if refusal is None and task.status == S.CLOSED:
        refusal = _("任务已销号，不能修改。")
    return refusal
