"""Annual work-plan import of 10,000 rows: the portal's importer vs
django-import-export's default ModelResource vs a bare ``bulk_create``.

    .venv/bin/python bench/import_plan.py [--rows 10000]

Every variant reads an .xlsx of the same rows and writes the tasks in one
transaction that is rolled back afterwards, so the database is unchanged.

- importer: ``tasks.importer.parse_work_plan`` + ``tasks.services.work_plan_import``
  (what the office's “导入” button does: units resolved through aliases, co-units,
  grants, events, history);
- import-export: ``modelresource_factory(Task)`` with default options reading a
  sheet whose columns are Task's fields (ids for the foreign keys);
- bulk_create: openpyxl read + ``Task.objects.bulk_create`` of the same rows
  (tasks only: no co-units, grants, events or history);
- bulk path (sketch of the fix): the same checked rows written as the importer
  must write them — tasks, co-units, guardian grants, 交办 events and history
  rows — with one ``bulk_create`` per table.

Target: the importer ≤ 2× bulk_create.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ms, setup_django, table, verdict, write_section

YEAR = 2027


class Rollback(Exception):
    pass


def plan_rows(n: int, units) -> list[list]:
    verbs = ["开展", "推进", "落实", "组织", "完善", "加强"]
    topics = ["知识产权宣传", "商标执法", "专利导航", "地理标志保护", "版权检查"]
    rows = []
    for i in range(1, n + 1):
        lead = units[i % len(units)]
        co = [units[(i + k) % len(units)] for k in (3, 7)][: i % 3]
        rows.append(
            [
                i,
                f"{verbs[i % len(verbs)]}{topics[i % len(topics)]}工作第{i}项",
                lead.name,
                "、".join(u.name for u in co),
                f"{YEAR}年{1 + i % 12}月底",
                "",
            ]
        )
    return rows


def workbook(headers: list[str], rows: list[list]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append(row)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def run_rolled_back(fn) -> float:
    from django.db import transaction

    start = time.perf_counter()
    try:
        with transaction.atomic():
            fn()
            raise Rollback
    except Rollback:
        pass
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10000)
    args = parser.parse_args()
    setup_django()
    import tablib
    from common import data_size, database_version
    from django.utils import timezone
    from import_export.resources import modelresource_factory
    from openpyxl import load_workbook
    from simple_history.utils import bulk_create_with_history

    from members.models import LeadingGroup, Unit, User
    from tasks import services
    from tasks.importer import COLUMNS, parse_work_plan
    from tasks.models import (
        CoUnit,
        Task,
        TaskEvent,
        TaskGroupObjectPermission,
        WorkPlan,
    )

    office = User.objects.get(username="bench_office")
    group = LeadingGroup.objects.get()
    units = list(Unit.objects.members())
    rows = plan_rows(args.rows, units)
    plan_xlsx = workbook(COLUMNS, rows)
    by_name = {u.name: u for u in units}
    results: dict[str, float] = {}
    notes: dict[str, str] = {}

    def new_plan() -> WorkPlan:
        return WorkPlan.objects.create(
            group=group, year=YEAR, title=f"{YEAR}年工作计划（基准）", created_by=office
        )

    # 1. the portal's importer (parse + confirm)
    def importer() -> None:
        result = parse_work_plan(plan_xlsx, YEAR)
        assert result.ok, result.errors[:3]
        tasks = services.work_plan_import(plan=new_plan(), rows=result.rows, by=office)
        assert len(tasks) == args.rows

    results["importer"] = run_rolled_back(importer)

    # 2. django-import-export, default ModelResource for Task
    now = timezone.now()
    fields = [
        "code",
        "title",
        "description",
        "plan",
        "lead_unit",
        "original_due_on",
        "due_on",
        "status",
        "progress",
        "last_activity_at",
        "created_by",
        "edit_version",
    ]

    def resource_import() -> None:
        plan = new_plan()
        sheet = workbook(
            ["id", *fields],
            [
                [
                    None,
                    f"{YEAR}-导入-{r[0]}",
                    r[1],
                    r[1],
                    plan.pk,
                    by_name[r[2]].pk,
                    date(YEAR, 1 + r[0] % 12, 28),
                    date(YEAR, 1 + r[0] % 12, 28),
                    "assigned",
                    0,
                    now.replace(tzinfo=None),
                    office.pk,
                    1,
                ]
                for r in rows
            ],
        )
        dataset = tablib.Dataset().load(sheet, format="xlsx")
        resource = modelresource_factory(model=Task)()
        result = resource.import_data(dataset, dry_run=False, raise_errors=True)
        assert result.totals["new"] == args.rows, result.totals

    try:
        results["import-export"] = run_rolled_back(resource_import)
    except Exception as error:
        notes["import-export"] = f"failed: {type(error).__name__}: {error}"[:200]

    # 3. bare bulk_create of the same rows
    def bare() -> None:
        plan = new_plan()
        wb = load_workbook(BytesIO(plan_xlsx), read_only=True)
        tasks = []
        for seq, title, lead, _co, _due, _duty in wb.active.iter_rows(
            min_row=2, values_only=True
        ):
            due = date(YEAR, 1 + int(seq) % 12, 28)
            tasks.append(
                Task(
                    code=f"{YEAR}-计划-{seq}",
                    title=title,
                    description=title,
                    plan=plan,
                    lead_unit=by_name[lead],
                    original_due_on=due,
                    due_on=due,
                    last_activity_at=now,
                    created_by=office,
                )
            )
        Task.objects.bulk_create(tasks, batch_size=2000)

    results["bulk_create"] = run_rolled_back(bare)

    # 4. the bulk path: everything the importer writes, one bulk_create per table
    def bulk_path() -> None:
        from django.contrib.auth.models import Permission

        result = parse_work_plan(plan_xlsx, YEAR)
        assert result.ok
        plan = new_plan()
        perm = {
            p.codename: p.pk
            for p in Permission.objects.filter(content_type__app_label="tasks")
        }
        groups = dict(Unit.objects.values_list("pk", "auth_group_id"))
        tasks = []
        for row in result.rows:
            due = date.fromisoformat(row["due"])
            task = Task(
                code=f"{YEAR}-计划-{row['seq'] or row['row']}",
                title=row["title"],
                description=row["description"],
                plan=plan,
                lead_unit_id=row["lead"],
                original_due_on=due,
                due_on=due,
                last_activity_at=now,
                created_by=office,
            )
            task._history_user = office
            tasks.append(task)
        bulk_create_with_history(
            tasks,
            Task,
            batch_size=2000,
            default_user=office,
            default_change_reason="交办",
        )
        CoUnit.objects.bulk_create(
            [
                CoUnit(task=t, unit_id=u)
                for t, row in zip(tasks, result.rows, strict=True)
                for u in row["co_units"]
            ],
            batch_size=2000,
        )
        grants = []
        for t, row in zip(tasks, result.rows, strict=True):
            for codename in ("view_task", "report_task", "lead_task"):
                grants.append(
                    TaskGroupObjectPermission(
                        content_object=t,
                        group_id=groups[row["lead"]],
                        permission_id=perm[codename],
                    )
                )
            for u in row["co_units"]:
                for codename in ("view_task", "report_task"):
                    grants.append(
                        TaskGroupObjectPermission(
                            content_object=t,
                            group_id=groups[u],
                            permission_id=perm[codename],
                        )
                    )
        TaskGroupObjectPermission.objects.bulk_create(grants, batch_size=2000)
        TaskEvent.objects.bulk_create(
            [
                TaskEvent(
                    task=t,
                    kind=TaskEvent.Kind.ASSIGNED,
                    actor=office,
                    unit_id=t.lead_unit_id,
                )
                for t in tasks
            ],
            batch_size=2000,
        )

    results["bulk path"] = run_rolled_back(bulk_path)

    base = results["bulk_create"]
    labels = {
        "importer": "portal importer: parse_work_plan + work_plan_import",
        "import-export": "django-import-export default ModelResource(Task)",
        "bulk_create": "bare bulk_create (tasks only)",
        "bulk path": "bulk path: tasks + co-units + grants + events + history",
    }
    table_rows = []
    for key, label in labels.items():
        if key in results:
            table_rows.append(
                [
                    label,
                    f"{results[key] / 1000:.1f} s",
                    f"{args.rows / (results[key] / 1000):.0f}",
                    f"×{results[key] / base:.1f}",
                ]
            )
        else:
            table_rows.append([label, notes.get(key, "—"), "—", "—"])
    ratio = results["importer"] / base
    body = (
        f"{database_version()}; {data_size()}. {args.rows} rows, one run each, "
        "in a transaction rolled back afterwards.\n\n"
        + table(["variant", "time", "rows/s", "vs bulk_create"], table_rows)
        + f"\n\nImporter vs bare bulk_create: ×{ratio:.1f} — target ≤ 2×: "
        f"{verdict(ratio <= 2)}.\n"
    )
    write_section(
        "import_plan",
        f"Annual-plan import ({args.rows} rows)",
        body,
        {"rows": args.rows, "ms": results, "notes": notes, "ms_unit": ms(0)},
    )


if __name__ == "__main__":
    main()
