"""Unit-scoped task queryset (guardian grants) vs a plain ``filter(lead_unit=…)``.

    .venv/bin/python bench/scoped_queryset.py

What a liaison's task list runs — ``Task.objects.visible_to(user)``, a semi-join on
the guardian group-permission table — against the plain filter a unit-blind
portal would run, for three shapes of query: count, first page by deadline, and
the task list's own queryset (lights annotated, most urgent first, first page).
Target: scoped ≤ 2× plain.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import median, ms, p95, setup_django, table, timed, verdict, write_section


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    setup_django()
    from common import data_size, database_version

    from members.models import User
    from tasks.models import Task

    liaison = User.objects.get(username="bench_liaison_sfj")
    unit = liaison.unit
    scoped = Task.objects.visible_to(liaison)
    plain = Task.objects.filter(lead_unit=unit)
    either = Task.objects.for_unit(unit)
    shapes = {
        "count()": lambda qs: qs.count(),
        "first page by deadline": lambda qs: list(qs.order_by("due_on", "code")[:30]),
        "task list queryset (lights, urgency, page 1)": lambda qs: list(
            qs.with_light().by_urgency().select_related("lead_unit")[:30]
        ),
        "open tasks, all rows": lambda qs: list(qs.open().values_list("pk", flat=True)),
    }
    rows, data = [], []
    for label, fn in shapes.items():
        result = {}
        for name, qs in (
            ("scoped", scoped),
            ("plain", plain),
            ("lead or co", either),
        ):
            samples = timed(lambda q=qs, f=fn: f(q), runs=args.runs)
            result[name] = (median(samples), p95(samples))
        ratio = result["scoped"][0] / result["plain"][0]
        rows.append(
            [
                label,
                f"{ms(result['scoped'][0])} / {ms(result['scoped'][1])}",
                f"{ms(result['plain'][0])} / {ms(result['plain'][1])}",
                f"{ms(result['lead or co'][0])} / {ms(result['lead or co'][1])}",
                f"×{ratio:.2f}",
                verdict(ratio <= 2.0),
            ]
        )
        data.append({"shape": label, **{k: v[0] for k, v in result.items()}})
    # The floor of any correct scoping: counting only the liaison's grants (the
    # guardian index entries, no task touched) against the plain count.
    from members.models import granted_object_ids
    from tasks.models import TaskGroupObjectPermission

    grants = granted_object_ids(TaskGroupObjectPermission, liaison, "view_task")
    floor = median(timed(lambda: grants.count(), runs=args.runs))
    plain_count = next(d["plain"] for d in data if d["shape"] == "count()")
    floor_line = (
        f"Floor: counting nothing but the liaison's grant entries (no task read) "
        f"takes {ms(floor)} ms, ×{floor / plain_count:.2f} of the plain count — the "
        "scoped rows are a different, larger set, so no scoping can count them "
        "within 2× of the plain filter (bench/README.md, Missed 1)."
    )
    data.append({"shape": "floor: grant entries only, count()", "scoped": floor})
    sizes = (
        f"The liaison's unit ({unit.name}) leads {plain.count()} tasks and sees "
        f"{scoped.count()} (lead or co-unit) of {Task.objects.count()}."
    )
    body = (
        f"{database_version()}; {data_size()}. {sizes} Median / p95 of "
        f"{args.runs} runs, ms. “lead or co” is `Task.objects.for_unit(unit)` "
        "(OR over the co-unit join with DISTINCT), the same rows as the scoped "
        "queryset without guardian. `visible_to` resolves the person's group ids "
        "once and reads only the guardian table's unique index.\n\n"
        + table(
            [
                "query",
                "scoped `visible_to(liaison)`",
                "plain `filter(lead_unit=unit)`",
                "`for_unit(unit)`",
                "scoped / plain",
                "≤ 2×",
            ],
            rows,
        )
        + "\n\n"
        + floor_line
    )
    write_section("scoped_queryset", "Unit-scoped queryset", body, {"shapes": data})


if __name__ == "__main__":
    main()
