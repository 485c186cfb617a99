"""Which duty clauses (职责分工) the year's work rests on: the dashboard's coverage
of the clauses and the duty catalogue's count of tasks per clause."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Exists, OuterRef, QuerySet

from duties.models import DutyClause
from members.models import Unit
from tasks.models import ProgressReport, Task
from tasks.sources import source_year_q

if TYPE_CHECKING:
    from .dashboard import Selection


def _clauses(unit: Unit | None) -> QuerySet[DutyClause]:
    qs = DutyClause.objects.filter(unit__is_member=True)
    return qs.filter(unit=unit) if unit is not None else qs


def _covered(year: int, selection: Selection | None) -> Exists:
    """A clause is covered in a year when a task of that year rests on it, or when
    a task resting on it received a progress report during that year."""
    through = Task.duties.through
    year_q = (
        selection.year_q(year, prefix="task__")
        if selection is not None
        else source_year_q(year, "task__")
    )
    by_task = through.objects.filter(dutyclause=OuterRef("pk")).filter(year_q)
    by_report = ProgressReport.objects.filter(
        task__duties=OuterRef("pk"), created_at__year=year
    )
    return Exists(by_task) | Exists(by_report)


@dataclass
class Coverage:
    year: int
    total: int
    uncovered: list[DutyClause]
    per_unit: list[dict]

    @property
    def uncovered_count(self) -> int:
        return len(self.uncovered)


def duty_task_counts(clauses: list[DutyClause], year: int) -> dict[int, int]:
    """How many tasks of ``year`` rest on each of ``clauses`` (one query)."""
    through = Task.duties.through
    return dict(
        through.objects.filter(dutyclause__in=[c.pk for c in clauses])
        .filter(source_year_q(year, "task__"))
        .values("dutyclause")
        .annotate(n=Count("task", distinct=True))
        .order_by()
        .values_list("dutyclause", "n")
    )


def duty_coverage(
    year: int, unit: Unit | None = None, selection: Selection | None = None
) -> Coverage:
    """Duty clauses with no task and no report in the year, listed and counted per
    unit. One query: clauses are founding data (a few dozen), so they are read
    with their covered flag and counted per unit here."""
    clauses = list(
        _clauses(unit)
        .annotate(covered=_covered(year, selection))
        .select_related("unit")
        .order_by("unit__order", "unit", "number")
    )
    per_unit: dict[int, dict] = {}
    for clause in clauses:
        entry = per_unit.setdefault(
            clause.unit_id,
            {
                "unit": clause.unit_id,
                "unit__name": clause.unit.name,
                "unit__code": clause.unit.code,
                "total": 0,
                "uncovered": 0,
            },
        )
        entry["total"] += 1
        entry["uncovered"] += 0 if clause.covered else 1
    return Coverage(
        year=year,
        total=len(clauses),
        uncovered=[c for c in clauses if not c.covered],
        per_unit=list(per_unit.values()),
    )
