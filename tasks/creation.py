"""What a new task is in the database, written in one place.

A new task is: the task row and its history row (by whom, reason 交办); its
co-unit links and duty links; the object permissions of its units (through
``members.grants``: the lead unit leads, co-units view and report); the 交办 event
on its timeline; and, for a decided matter's task, the meeting's grants again (the
task's units may then read the minutes it comes from).

``task_write`` writes one (``task_assign``); ``tasks_write_bulk`` writes the same
rows for many, table by table, so the number of queries does not grow with the
number of tasks (the plan import, the benchmark data). Neither checks whether the
task should exist or tells anyone: that is the caller's workflow.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models
from django.db.models import (
    CharField,
    Expression,
    F,
    IntegerField,
    QuerySet,
    TextField,
    Value,
)
from django.utils.translation import gettext as _

from duties.models import DutyClause
from meetings.models import Meeting
from meetings.services import meeting_grants_sync
from members.grants import grant_units_from_query, set_unit_grants
from members.models import Unit, User

from .models import CoUnit, Task, TaskEvent

LEAD_PERMS = ("tasks.view_task", "tasks.report_task", "tasks.lead_task")
CO_PERMS = ("tasks.view_task", "tasks.report_task")
# the grants of a task by the lookup from the task to the unit (bulk writes)
GRANT_LOOKUPS = {"lead_unit": LEAD_PERMS, "co_unit_links__unit": CO_PERMS}
# Rows per INSERT of a bulk write: a 10,000-task plan is a handful of statements
# per table, each statement modest.
BATCH = 2000


def check_units(lead: Unit, co_units: Iterable[Unit]) -> list[Unit]:
    """The co-units once each, the lead unit left out."""
    co = [u for u in co_units if u.pk != lead.pk]
    return list({u.pk: u for u in co}.values())


def check_duties(duties: Iterable[DutyClause], units: list[Unit]) -> list[DutyClause]:
    """The duty clauses, which must belong to the task's units."""
    allowed = {u.pk for u in units}
    duties = list(duties)
    wrong = [d for d in duties if d.unit_id not in allowed]
    if wrong:
        raise ValidationError(
            {
                "duties": _("职责条款“%(code)s”不属于牵头或配合单位。")
                % {"code": wrong[0].code}
            }
        )
    return duties


def assignment_note(lead: Unit, co: Sequence[Unit], due: date) -> str:
    """The 交办 event's note."""
    return _("牵头单位：%(lead)s；配合单位：%(co)s；完成时限：%(due)s") % {
        "lead": lead.name,
        "co": "、".join(u.name for u in co) or _("无"),
        "due": due.isoformat(),
    }


def task_grants_sync(task: Task) -> None:
    """The task's units get the task; a decided matter's task also lets them read
    the minutes it comes from (their 来源 link and the minutes PDF), through the
    meeting's one grant sync. Idempotent: a reassignment calls it again."""
    grants: dict[Unit, Sequence[str]] = {task.lead_unit: LEAD_PERMS}
    for unit in task.co_units.all():
        if unit.pk != task.lead_unit_id:
            grants[unit] = CO_PERMS
    set_unit_grants(task, grants)
    if task.decision_id:
        meeting_grants_sync(
            meeting=Meeting.objects.get(minutes__decisions__pk=task.decision_id)
        )


def task_write(
    task: Task,
    *,
    co_units: Sequence[Unit],
    duties: Sequence[DutyClause],
    by: User,
) -> Task:
    """Write one new task (unsaved, its fields set) and everything it comes with.
    ``co_units`` and ``duties`` as ``check_units`` and ``check_duties`` give them."""
    task._history_user = by
    task._change_reason = _("交办")
    task.save()
    CoUnit.objects.bulk_create([CoUnit(task=task, unit=u) for u in co_units])
    task.duties.set(duties)
    task_grants_sync(task)
    TaskEvent.objects.create(
        task=task,
        kind=TaskEvent.Kind.ASSIGNED,
        actor=by,
        unit=task.lead_unit,
        note=assignment_note(task.lead_unit, co_units, task.due_on),
    )
    return task


@dataclass
class NewTask:
    """One task of a bulk write: the unsaved task, its co-units and duty clauses."""

    task: Task
    co_units: list[Unit] = field(default_factory=list)
    duties: list[DutyClause] = field(default_factory=list)


def tasks_write_bulk(
    new: Sequence[NewTask],
    *,
    by: User,
    within: QuerySet[Task],
    code_taken: str,
    raced: str,
) -> list[Task]:
    """Write what ``task_write`` writes for each of ``new``, table by table.

    ``within`` is a query the new tasks fall in (a plan's tasks, or every task):
    the history and grant rows are written from the new tasks read back by the
    database, as the tasks of ``within`` in the range of the new ids (rather than
    a list of 10,000 ids, sent and parsed again for every statement). Someone
    else's task in that range, or a task given one of the new codes meanwhile,
    makes the write fail with ``raced`` or ``code_taken`` (ValidationError) and the
    caller's transaction roll back; nothing else can break these rows.

    Task timestamps a caller sets are kept only where the model lets it
    (``created_at`` is the time of writing); the 交办 event is dated with it.
    """
    if not new:
        return []
    tasks = [item.task for item in new]
    try:
        Task.objects.bulk_create(tasks, batch_size=BATCH)
    except IntegrityError as error:
        raise ValidationError(code_taken) from error
    # Below, rows as tuples or INSERT … SELECT over the new tasks: one model
    # instance per derived row (80,000 for 10,000 tasks) was most of the import.
    _insert_rows(
        CoUnit,
        ["task", "unit", "report_waived"],
        [(item.task.pk, unit.pk, False) for item in new for unit in item.co_units],
    )
    _insert_rows(
        Task.duties.through,
        ["task", "dutyclause"],
        [(item.task.pk, clause.pk) for item in new for clause in item.duties],
    )
    kind = TaskEvent.Kind.ASSIGNED.value
    _insert_rows(
        TaskEvent,
        ["task", "kind", "actor", "unit", "note", "created_at"],
        [
            (
                item.task.pk,
                kind,
                by.pk,
                item.task.lead_unit_id,
                assignment_note(item.task.lead_unit, item.co_units, item.task.due_on),
                _db_value(TaskEvent, "created_at", item.task.created_at),
            )
            for item in new
        ],
    )
    ids = [task.pk for task in tasks]
    written = within.filter(pk__range=(min(ids), max(ids)))
    try:
        histories = _insert_history(
            written, by=by, reason=_("交办"), when=tasks[0].created_at
        )
        # Such a task already has its grants, so the grant rows written for it
        # again break the grants' unique constraint: the same error, not a 500.
        grants = grant_units_from_query(written, GRANT_LOOKUPS)
    except IntegrityError as error:
        raise ValidationError(raced) from error
    co_links = sum(len(item.co_units) for item in new)
    if (histories, grants) != (
        len(tasks),
        len(tasks) * len(LEAD_PERMS) + co_links * len(CO_PERMS),
    ):
        raise ValidationError(raced)
    for meeting in Meeting.objects.filter(
        minutes__decisions__in={t.decision_id for t in tasks if t.decision_id}
    ).distinct():
        meeting_grants_sync(meeting=meeting)
    return tasks


def _db_value(model: type[models.Model], name: str, value):
    """``value`` as the database takes it for ``model.name`` (datetimes on SQLite)."""
    return model._meta.get_field(name).get_db_prep_save(value, connection)


def _insert_rows(
    model: type[models.Model], names: Sequence[str], rows: Sequence[tuple]
) -> None:
    """INSERT plain tuples (values ready for the database, in the order of the
    field ``names``) into ``model``'s table, many rows per statement."""
    if not rows:
        return
    qn = connection.ops.quote_name
    fields = [model._meta.get_field(name) for name in names]
    columns = ", ".join(qn(f.column) for f in fields)
    placeholder = f"({', '.join(['%s'] * len(fields))})"
    # identifiers from _meta, quoted; every value a parameter
    insert = f"INSERT INTO {qn(model._meta.db_table)} ({columns}) VALUES "  # noqa: S608
    size = min(BATCH, connection.ops.bulk_batch_size(fields, rows))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            batch = rows[start : start + size]
            cursor.execute(
                insert + ", ".join([placeholder] * len(batch)),
                [value for row in batch for value in row],
            )


def _insert_history(tasks: QuerySet, *, by: User, reason: str, when) -> int:
    """The history rows ``bulk_create_with_history`` writes for new ``tasks``
    (created, by ``by``, for ``reason``) as one INSERT … SELECT from the tasks.
    Returns the number of rows written (with history switched off, of tasks)."""
    if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return tasks.count()
    historical = Task.history.model
    values: dict[str, Expression] = {
        field.attname: F(field.attname) for field in historical.tracked_fields
    }
    values.update(
        history_date=Value(
            when, output_field=historical._meta.get_field("history_date")
        ),
        history_user_id=Value(by.pk, output_field=IntegerField()),
        history_change_reason=Value(reason, output_field=TextField()),
        history_type=Value("+", output_field=CharField()),
    )
    # annotations only (their names must not be field names), so the SELECT's
    # columns come in the order of ``values``
    select, params = (
        tasks.order_by()
        .values(**{f"h{i}": expression for i, expression in enumerate(values.values())})
        .query.sql_with_params()
    )
    qn = connection.ops.quote_name
    meta = historical._meta
    # get_field takes an attname as well as a name (lead_unit_id, lead_unit)
    columns = ", ".join(qn(meta.get_field(name).column) for name in values)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {qn(meta.db_table)} ({columns}) {select}", params)
        return cursor.rowcount
