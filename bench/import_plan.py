"""Annual work-plan import of 10,000 rows: the portal's importer vs
django-import-export's default ModelResource vs a bare ``bulk_create``.

    .venv/bin/python bench/import_plan.py [--rows 10000] [--runs 3]

Every variant reads an .xlsx of the same rows and writes the tasks in one
transaction that is rolled back afterwards, so the database is unchanged.

- importer: ``tasks.importer.parse_work_plan`` + ``tasks.plans.work_plan_import``
  (what the office's “导入” button does: units resolved through aliases, then
  bulk_create for the tasks, multi-row INSERTs of plain tuples for co-units, duty
  links and 交办 events, INSERT … SELECT from the new tasks for their history and
  guardian grants, and the notification);
- import-export: ``modelresource_factory(Task)`` with default options reading a
  sheet whose columns are Task's fields (ids for the foreign keys);
- bulk_create: openpyxl read + ``Task.objects.bulk_create`` of the same rows
  (tasks only: no co-units, grants, events or history).

The importer and bulk_create run ``--runs`` times, alternating, and the medians
are compared (the machine is shared; one run each was too noisy); import-export
runs once. A last, separate run of the importer records where its time goes:
parse vs write, and per table the INSERT statements, rows and time spent in the
database driver and server (the rest of the write is the ORM building rows).

Target: the importer ≤ 2× bulk_create.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from collections import defaultdict
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


class TableTimes:
    """An execute wrapper: INSERT statements, rows and time per table."""

    INSERT = re.compile(r'\s*INSERT INTO "?(\w+)"?')

    def __init__(self) -> None:
        self.tables: dict[str, list[float]] = defaultdict(lambda: [0, 0, 0.0])
        self.other = [0, 0.0]

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            elapsed = (time.perf_counter() - start) * 1000
            m = self.INSERT.match(sql)
            if m:
                entry = self.tables[m[1]]
                entry[0] += 1
                entry[1] += max(context["cursor"].rowcount, 0)
                entry[2] += elapsed
            else:
                self.other[0] += 1
                self.other[1] += elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10000)
    parser.add_argument(
        "--runs", type=int, default=3, help="runs of importer and bulk_create"
    )
    args = parser.parse_args()
    setup_django()
    import tablib
    from common import data_size, database_version
    from django.db import connection
    from django.utils import timezone
    from import_export.resources import modelresource_factory
    from openpyxl import load_workbook

    from members.models import LeadingGroup, Unit, User
    from tasks import plans
    from tasks.importer import COLUMNS, parse_work_plan
    from tasks.models import Task, WorkPlan

    office = User.objects.get(username="bench_office")
    group = LeadingGroup.objects.get()
    units = list(Unit.objects.members())
    rows = plan_rows(args.rows, units)
    plan_xlsx = workbook(COLUMNS, rows)
    by_name = {u.name: u for u in units}
    results: dict[str, float] = {}
    samples: dict[str, list[float]] = {"importer": [], "bulk_create": []}
    notes: dict[str, str] = {}
    load_before = os.getloadavg()[0]

    def new_plan() -> WorkPlan:
        return WorkPlan.objects.create(
            group=group, year=YEAR, title=f"{YEAR}年工作计划（基准）", created_by=office
        )

    # 1. the portal's importer (parse + confirm)
    def importer() -> None:
        result = parse_work_plan(plan_xlsx, YEAR)
        assert result.ok, result.errors[:3]
        tasks = plans.work_plan_import(plan=new_plan(), rows=result.rows, by=office)
        assert len(tasks) == args.rows

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

    for _ in range(args.runs):
        samples["importer"].append(run_rolled_back(importer))
        samples["bulk_create"].append(run_rolled_back(bare))
    for key, values in samples.items():
        results[key] = statistics.median(values)

    # 4. where the importer's time goes: parse, then the write table by table
    parse_ms: list[float] = []
    write_ms: list[float] = []
    times = TableTimes()

    def importer_by_step() -> None:
        start = time.perf_counter()
        result = parse_work_plan(plan_xlsx, YEAR)
        parse_ms.append((time.perf_counter() - start) * 1000)
        plan = new_plan()
        start = time.perf_counter()
        with connection.execute_wrapper(times):
            plans.work_plan_import(plan=plan, rows=result.rows, by=office)
        write_ms.append((time.perf_counter() - start) * 1000)

    run_rolled_back(importer_by_step)
    load_after = os.getloadavg()[0]

    base = results["bulk_create"]
    labels = {
        "importer": "portal importer: parse_work_plan + work_plan_import",
        "import-export": "django-import-export default ModelResource(Task)",
        "bulk_create": "bare bulk_create (tasks only)",
    }
    table_rows = []
    for key, label in labels.items():
        if key in results:
            runs = samples.get(key, [results[key]])
            table_rows.append(
                [
                    label,
                    f"{results[key] / 1000:.1f} s",
                    " / ".join(f"{v / 1000:.1f}" for v in runs),
                    f"{args.rows / (results[key] / 1000):.0f}",
                    f"×{results[key] / base:.1f}",
                ]
            )
        else:
            table_rows.append([label, notes.get(key, "—"), "—", "—", "—"])
    ratio = results["importer"] / base
    db_ms = sum(t[2] for t in times.tables.values()) + times.other[1]
    step_rows = [
        ["parse_work_plan (openpyxl + checks)", "—", "—", f"{parse_ms[0] / 1000:.2f} s"]
    ]
    for name, (statements, rows_written, elapsed) in sorted(
        times.tables.items(), key=lambda kv: -kv[1][2]
    ):
        step_rows.append(
            [f"INSERT {name}", statements, rows_written, f"{elapsed / 1000:.2f} s"]
        )
    other_s = f"{times.other[1] / 1000:.2f} s"
    python_s = f"{(write_ms[0] - db_ms) / 1000:.2f} s"
    step_rows += [
        ["other queries (checks, codes, …)", times.other[0], "—", other_s],
        ["ORM building and preparing rows", "—", "—", python_s],
        ["work_plan_import in all", "—", "—", f"{write_ms[0] / 1000:.2f} s"],
    ]
    body = (
        f"{database_version()}; {data_size()}. {args.rows} rows; importer and "
        f"bulk_create {args.runs} runs each, alternating (median; every run "
        "listed), import-export once; each run in a transaction rolled back "
        f"afterwards. Load average (1 min) {load_before:.2f} before, "
        f"{load_after:.2f} after.\n\n"
        + table(
            ["variant", "median", "runs (s)", "rows/s", "vs bulk_create"], table_rows
        )
        + f"\n\nImporter vs bare bulk_create: ×{ratio:.1f} — target ≤ 2×: "
        f"{verdict(ratio <= 2)}.\n\n"
        "Where the importer's time goes (one more run; driver + server time per "
        "table, the rest of the write is Python):\n\n"
        + table(["step", "statements", "rows", "time"], step_rows)
        + "\n"
    )
    write_section(
        "import_plan",
        f"Annual-plan import ({args.rows} rows)",
        body,
        {
            "rows": args.rows,
            "runs": args.runs,
            "ms": results,
            "samples_ms": samples,
            "parse_ms": parse_ms[0],
            "write_ms": write_ms[0],
            "tables": {
                name: {"statements": st, "rows": n, "ms": t}
                for name, (st, n, t) in times.tables.items()
            },
            "notes": notes,
            "load": [load_before, load_after],
            "ms_unit": ms(0),
        },
    )


if __name__ == "__main__":
    main()
