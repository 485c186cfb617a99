"""The task figures of the dashboard, the scorecard and the bulletins: counts per
unit and in total, the traffic lights, the lists of tasks by light and by deadline.

Definitions (as of ``day``; the task's current deadline ``due_on`` counts, so an
approved extension moves it, and the original deadline stays on the task):

- led (牵头任务): tasks the unit leads in the selection (``dashboard.Selection``);
- on time (按时完成): closed (销号) on or before the deadline;
- closed late (逾期完成): closed after the deadline;
- open overdue (逾期未完成): not closed and the deadline has passed;
- overdue (逾期): closed late + open overdue;
- completion rate (完成率): closed / led;
- average days late (平均逾期天数): over the overdue tasks, calendar days from the
  deadline to the closing day (closed late) or to today (open overdue).

Each function runs a fixed number of queries whatever the number of tasks: the
figures are ``COUNT(...) FILTER``/``SUM`` aggregates grouped by unit, lights come
from ``TaskQuerySet.with_light``; Python only loops over units and clause groups.
The dashboard and the scorecard call the same functions, so their numbers match.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import (
    Case,
    Count,
    DateField,
    DurationField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import RowNumber, TruncDate

from members.models import Unit
from tasks.models import CoUnit, Extension, ProgressReport, Task

CLOSED = Task.Status.CLOSED
LIGHTS: list[str] = [
    Task.Light.RED.value,
    Task.Light.YELLOW.value,
    Task.Light.GREEN.value,
    Task.Light.GREY.value,
]
LIST_LIMIT = 15
UPCOMING_DAYS = 14


# --- figures ---------------------------------------------------------------


def as_duration(expression) -> ExpressionWrapper:
    """A date difference as a duration (days late)."""
    return ExpressionWrapper(expression, output_field=DurationField())


def figure_conditions(day: date) -> dict[str, Q]:
    """Which tasks each counted figure counts, on a queryset annotated with
    ``closed_on`` and ``light_value``. The aggregates below and the lists the
    figures link to (``figure_tasks``) both use these, so a figure and its list
    always agree."""
    closed = Q(status=CLOSED)
    closed_late = closed & Q(closed_on__gt=F("due_on"))
    open_overdue = ~closed & Q(due_on__lt=day)
    return {
        "closed": closed,
        "on_time": closed & Q(closed_on__lte=F("due_on")),
        "closed_late": closed_late,
        "open_overdue": open_overdue,
        "overdue": closed_late | open_overdue,
        **{f"light_{light}": Q(light_value=light) for light in LIGHTS},
    }


def _figure_aggregates(day: date) -> dict[str, Any]:
    """The aggregate expressions behind every figure, on a queryset annotated with
    ``closed_on`` and ``light_value``."""
    conditions = figure_conditions(day)
    closed_late = conditions["closed_late"]
    open_overdue = conditions["open_overdue"]
    today_value = Value(day, output_field=DateField())
    return {
        "led": Count("pk"),
        "closed": Count("pk", filter=conditions["closed"]),
        "on_time": Count("pk", filter=conditions["on_time"]),
        "closed_late": Count("pk", filter=closed_late),
        "open_overdue": Count("pk", filter=open_overdue),
        "days_late_total": Sum(
            Case(
                When(closed_late, then=as_duration(F("closed_on") - F("due_on"))),
                When(open_overdue, then=as_duration(today_value - F("due_on"))),
                default=None,
                output_field=DurationField(),
            )
        ),
        **{
            f"light_{light}": Count("pk", filter=conditions[f"light_{light}"])
            for light in LIGHTS
        },
    }


def lit(qs: QuerySet[Task], day: date) -> QuerySet[Task]:
    """``qs`` with the light annotation. Annotating once per page and deriving every
    other queryset from it saves the working-day look-up each ``with_light`` makes."""
    return qs if "light_value" in qs.query.annotations else qs.with_light(day)


def annotated(qs: QuerySet[Task], day: date) -> QuerySet[Task]:
    """Lit tasks with their closing day (``closed_on``), as the figures count them."""
    return lit(qs, day).annotate(closed_on=TruncDate("closed_at"))


@dataclass
class Figures:
    """The figures of one unit (or of a whole selection when ``unit`` is None)."""

    unit: Unit | None = None
    led: int = 0
    closed: int = 0
    on_time: int = 0
    closed_late: int = 0
    open_overdue: int = 0
    days_late_total: timedelta | None = None
    lights: dict[str, int] = field(default_factory=dict)
    co_handled: int = 0

    @classmethod
    def from_row(cls, row: dict, unit: Unit | None = None) -> Figures:
        return cls(
            unit=unit,
            led=row["led"] or 0,
            closed=row["closed"] or 0,
            on_time=row["on_time"] or 0,
            closed_late=row["closed_late"] or 0,
            open_overdue=row["open_overdue"] or 0,
            days_late_total=row["days_late_total"],
            lights={light: row[f"light_{light}"] or 0 for light in LIGHTS},
        )

    @classmethod
    def total(cls, rows: list[Figures]) -> Figures:
        """The sum of several rows (e.g. every lead unit's)."""
        late = [r.days_late_total for r in rows if r.days_late_total is not None]
        return cls(
            led=sum(r.led for r in rows),
            closed=sum(r.closed for r in rows),
            on_time=sum(r.on_time for r in rows),
            closed_late=sum(r.closed_late for r in rows),
            open_overdue=sum(r.open_overdue for r in rows),
            days_late_total=sum(late, timedelta()) if late else None,
            lights={
                light: sum(r.lights.get(light, 0) for r in rows) for light in LIGHTS
            },
        )

    @property
    def open(self) -> int:
        return self.led - self.closed

    @property
    def overdue(self) -> int:
        return self.closed_late + self.open_overdue

    @property
    def open_on_track(self) -> int:
        return self.open - self.open_overdue

    @property
    def completion_rate(self) -> float | None:
        """Closed / led in percent, one decimal; None when nothing is led."""
        if not self.led:
            return None
        return round(self.closed * 100 / self.led, 1)

    @property
    def average_days_late(self) -> float | None:
        if not self.overdue or self.days_late_total is None:
            return None
        return round(self.days_late_total.total_seconds() / 86400 / self.overdue, 1)

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON (charts, bulletin figures)."""
        data: dict[str, Any] = {
            "led": self.led,
            "closed": self.closed,
            "on_time": self.on_time,
            "closed_late": self.closed_late,
            "open_overdue": self.open_overdue,
            "overdue": self.overdue,
            "open": self.open,
            "completion_rate": self.completion_rate,
            "average_days_late": self.average_days_late,
            "lights": dict(self.lights),
            "co_handled": self.co_handled,
        }
        if self.unit is not None:
            data["unit"] = self.unit.name
            data["unit_code"] = self.unit.code
        return data


def _grouped(
    qs: QuerySet[Task], day: date, unit_ids: list[int] | None = None
) -> dict[int, Figures]:
    """Figures per lead unit (one query), for the given units or every lead unit."""
    if unit_ids is not None:
        qs = qs.filter(lead_unit__in=unit_ids)
    return {
        row["lead_unit"]: Figures.from_row(row)
        for row in annotated(qs, day)
        .values("lead_unit")
        .annotate(**_figure_aggregates(day))
        .order_by()
    }


def _rows(
    qs: QuerySet[Task], units: list[Unit], grouped: dict[int, Figures]
) -> list[Figures]:
    """One row per unit in the given order (zeros included), with the number of
    tasks each co-handles (one query)."""
    co = dict(
        CoUnit.objects.filter(task__in=qs.values("pk"), unit__in=[u.pk for u in units])
        .values("unit")
        .annotate(n=Count("task", distinct=True))
        .order_by()
        .values_list("unit", "n")
    )
    result = []
    for unit in units:
        figures = grouped.get(unit.pk) or Figures(lights=dict.fromkeys(LIGHTS, 0))
        figures.unit = unit
        figures.co_handled = co.get(unit.pk, 0)
        result.append(figures)
    return result


def unit_figures(qs: QuerySet[Task], units: list[Unit], day: date) -> list[Figures]:
    """One row of figures per unit (in the order given), zero rows included.

    Two queries: the led figures grouped by lead unit, the co-handled counts
    grouped by co-unit.
    """
    return _rows(qs, units, _grouped(qs, day, [u.pk for u in units]))


def unit_figures_and_totals(
    qs: QuerySet[Task], units: list[Unit], day: date
) -> tuple[list[Figures], Figures]:
    """The rows of ``units`` and the totals over every task of ``qs`` (whoever
    leads it), from the same two queries."""
    grouped = _grouped(qs, day)
    return _rows(qs, units, grouped), Figures.total(list(grouped.values()))


def total_figures(qs: QuerySet[Task], day: date) -> Figures:
    """The same figures over a whole queryset (one query)."""
    return Figures.from_row(annotated(qs, day).aggregate(**_figure_aggregates(day)))


# --- lists -----------------------------------------------------------------


def with_reasons(qs: QuerySet[Task]) -> QuerySet[Task]:
    """Annotate the latest lead report (text, day) and the latest extension reason."""
    latest_report = ProgressReport.objects.filter(
        task=OuterRef("pk"), is_lead_report=True
    ).order_by("-created_at", "-pk")
    latest_extension = Extension.objects.filter(
        task=OuterRef("pk"),
        status__in=[Extension.Status.APPROVED, Extension.Status.PENDING],
    ).order_by("-created_at", "-pk")
    return qs.annotate(
        latest_report_text=Subquery(latest_report.values("text")[:1]),
        latest_report_at=Subquery(latest_report.values("created_at")[:1]),
        latest_extension_reason=Subquery(latest_extension.values("reason")[:1]),
    )


def _listed(qs: QuerySet[Task], day: date) -> QuerySet[Task]:
    return with_reasons(
        lit(qs, day)
        .select_related("lead_unit")
        .annotate(
            days_late=ExpressionWrapper(
                Value(day, output_field=DateField()) - F("due_on"),
                output_field=DurationField(),
            )
        )
    )


def light_list(
    qs: QuerySet[Task], light: str, day: date, limit: int = LIST_LIMIT
) -> list[Task]:
    """The tasks of one light, nearest (or longest overdue) deadline first."""
    return list(
        _listed(qs, day).filter(light_value=light).order_by("due_on", "code")[:limit]
    )


def light_lists(
    qs: QuerySet[Task], lights: list[str], day: date, limit: int = LIST_LIMIT
) -> dict[str, list[Task]]:
    """The first ``limit`` tasks of each light, nearest (or longest overdue)
    deadline first, in one query (a row number per light, filtered in SQL)."""
    ranked = (
        _listed(qs, day)
        .filter(light_value__in=lights)
        .annotate(
            rank_in_light=Window(
                RowNumber(),
                partition_by=[F("light_value")],
                order_by=[F("due_on").asc(), F("code").asc()],
            )
        )
        .filter(rank_in_light__lte=limit)
        .order_by("due_on", "code")
    )
    result: dict[str, list[Task]] = {light: [] for light in lights}
    for task in ranked:
        result[task.light_value].append(task)
    return result


def upcoming_deadlines(
    qs: QuerySet[Task], day: date, days: int = UPCOMING_DAYS, limit: int = LIST_LIMIT
) -> tuple[list[Task], int]:
    """The first ``limit`` open tasks due within ``days``, and how many there are
    in all (a window count in the same query: the badge showed the length of the
    cut list, so never more than ``limit``)."""
    tasks = list(
        _listed(qs.open(), day)
        .filter(due_on__gte=day, due_on__lte=day + timedelta(days=days))
        .annotate(upcoming_total=Window(Count("pk")))
        .order_by("due_on", "code")[:limit]
    )
    return tasks, tasks[0].upcoming_total if tasks else 0
