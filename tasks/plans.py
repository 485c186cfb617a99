"""Work plans and their import: a checked spreadsheet (``tasks.importer``) becomes
the plan's tasks, all or nothing, through the bulk writer of new tasks
(``tasks.creation.tasks_write_bulk``), so an imported task is in the database
exactly what a task assigned by hand is."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from duties.models import DutyClause
from jinwei_ip.lib.dates import FOUNDED, latest_date
from jinwei_ip.lib.forms import error_text
from members.models import Unit, User
from notices.services import notify, unit_people

from .creation import NewTask, check_duties, check_units, tasks_write_bulk
from .models import Task, WorkPlan


@transaction.atomic
def work_plan_create(*, group, year: int, title: str, by: User) -> WorkPlan:
    if not FOUNDED.year <= year <= latest_date().year:
        raise ValidationError(
            {
                "year": _("年度须在 %(a)d 年至 %(b)d 年之间。")
                % {"a": FOUNDED.year, "b": latest_date().year}
            }
        )
    return WorkPlan.objects.create(
        group=group, year=year, title=title.strip(), created_by=by
    )


# Rows re-checked at a time, when a job reports its progress (tasks.background).
RECHECK_CHUNK = 500

Checked = tuple[Unit, list[Unit], list[DutyClause]]


def work_plan_recheck(
    rows: Sequence[dict], *, progress: Callable[[int, int], None] | None = None
) -> list[Checked]:
    """(lead, co-units, duty clauses) of each row, looked up again chunk by chunk
    (``_import_recheck``), telling ``progress(rows done, rows in all)`` after
    each chunk; writes nothing."""
    checked: list[Checked] = []
    for start in range(0, len(rows), RECHECK_CHUNK):
        checked += _import_recheck(rows[start : start + RECHECK_CHUNK])
        if progress is not None:
            progress(min(start + RECHECK_CHUNK, len(rows)), len(rows))
    return checked


def import_failure(error: ValidationError | Unit.DoesNotExist) -> str:
    """What the office reads when a confirmed import is refused."""
    return _("导入失败，未写入任何数据：%(e)s") % {
        "e": error_text(error)
        if isinstance(error, ValidationError)
        else _("单位已不存在")
    }


@transaction.atomic
def work_plan_import(
    *,
    plan: WorkPlan,
    rows: Sequence[dict],
    by: User,
    checked: Sequence[Checked] | None = None,
) -> list[Task]:
    """Create every row of a checked import as a task of ``plan``; all or nothing.

    Writes exactly what one ``task_assign(plan=plan, …, notify_units=False)`` per
    row would write (``tasks.creation``), then one notification to the people of
    every unit concerned; but table by table, so the number of queries does not
    grow with the number of rows.

    ``rows`` come from ``tasks.importer.parse_work_plan`` (already validated);
    units and duties are looked up again so a row cannot name a unit or clause
    that disappeared between preview and confirmation (ValidationError, nothing
    written); a job passes them as ``checked``, looked up before the transaction
    while it reported its progress (``work_plan_recheck``).
    """
    if not rows:
        return []
    if checked is None:
        checked = work_plan_recheck(rows)
    now = timezone.now()
    new = []
    for row, code, (lead, co, duties) in zip(
        rows, _import_codes(plan, rows), checked, strict=True
    ):
        due = date.fromisoformat(row["due"])
        task = Task(
            code=code,
            title=row["title"].strip(),
            description=row["description"].strip(),
            plan=plan,
            lead_unit=lead,
            original_due_on=due,
            due_on=due,
            last_activity_at=now,
            created_by=by,
        )
        new.append(NewTask(task, co, duties))
    # The codes were chosen from the codes taken when the import began; a task
    # given one of them since (by someone else, at the same moment) breaks the
    # unique code. A task assigned to the plan by someone else meanwhile can fall
    # among the new ones: the rows written then do not add up.
    tasks = tasks_write_bulk(
        new,
        by=by,
        within=Task.objects.filter(plan=plan),
        code_taken=_(
            "导入时有他人交办了编号相同的任务，未写入任何数据，请重新确认导入。"
        ),
        raced=_("导入时有他人向本计划交办了任务，未写入任何数据，请重新确认导入。"),
    )
    units = {unit for lead, co, _duties in checked for unit in (lead, *co)}
    notify(
        unit_people(units),
        text=_("%(plan)s 已导入，共 %(n)d 项任务，请查看本单位承办的任务。")
        % {"plan": plan.title, "n": len(tasks)},
        url="/tasks/",
    )
    return tasks


def _import_recheck(rows: Sequence[dict]) -> list[Checked]:
    """(lead, co-units, duty clauses) of each row, read again in two queries.

    A unit no longer a member unit, or a clause deleted, since the preview is a
    ValidationError naming the row. Co-units come in the order task_assign gets
    them (unit order, the lead left out) and duties are checked as it checks them.
    """
    units = Unit.objects.members().in_bulk(
        {row["lead"] for row in rows} | {pk for row in rows for pk in row["co_units"]}
    )
    clauses = DutyClause.objects.select_related("unit").in_bulk(
        {pk for row in rows for pk in row.get("duties", [])}
    )

    def gone(row: dict, column: str, message: str) -> ValidationError:
        return ValidationError(
            _("第%(row)d行“%(col)s”：%(msg)s，请重新上传文件。")
            % {"row": row["row"], "col": column, "msg": message}
        )

    checked = []
    for row in rows:
        lead = units.get(row["lead"])
        if lead is None:
            raise gone(
                row,
                "牵头单位",
                _("单位“%(u)s”已删除或已不是成员单位") % {"u": row["lead_name"]},
            )
        if any(pk not in units for pk in row["co_units"]):
            raise gone(
                row,
                "配合单位",
                _("%(u)s中有单位已删除或已不是成员单位")
                % {"u": "、".join(row["co_names"])},
            )
        co = check_units(
            lead,
            sorted(
                (units[pk] for pk in row["co_units"]), key=lambda u: (u.order, u.pk)
            ),
        )
        if any(pk not in clauses for pk in row.get("duties", [])):
            raise gone(row, "依据职责", _("所列职责条款中有条款已删除"))
        try:
            duties = check_duties(
                [clauses[pk] for pk in row.get("duties", [])], [lead, *co]
            )
        except ValidationError as error:
            raise ValidationError(
                _("第%(row)d行：%(msg)s")
                % {"row": row["row"], "msg": "；".join(error.messages)}
            ) from error
        checked.append((lead, co, duties))
    return checked


def _import_codes(plan: WorkPlan, rows: Sequence[dict]) -> list[str]:
    """The codes next_task_code would give the rows one after another.

    ``<year>-计划-<序号>`` (the row's position when it has no 序号), or -2, -3 …
    after it when the code is taken, by an existing task or by an earlier row;
    the taken codes are read in one query.
    """
    prefix = f"{plan.year}-计划-"
    taken = set(
        Task.objects.filter(code__startswith=prefix).values_list("code", flat=True)
    )
    codes = []
    for position, row in enumerate(rows, start=1):
        base = code = f"{prefix}{row.get('seq') or position}"
        n = 2
        while code in taken:
            code = f"{base}-{n}"
            n += 1
        taken.add(code)
        codes.append(code)
    return codes
