"""The leaders' dashboard and the unit scorecard: every figure from the database.

Definitions (as of ``today``; the task's current deadline ``due_on`` counts, so an
approved extension moves it, and the original deadline stays on the task):

- led (牵头任务): tasks the unit leads in the selection;
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

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
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
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext, gettext_lazy

from campaigns.figures import year_figures_cached
from duties.columns import Cell, ClauseColumn
from duties.models import DutyClause
from meetings.models import Meeting
from meetings.services import plenary_status
from members.models import Unit
from tasks.models import CoUnit, Extension, ProgressReport, Task
from tasks.sources import source_ids, source_year_q

from . import coverage

T = TypeVar("T")

CLOSED = Task.Status.CLOSED
LIGHTS: list[str] = [
    Task.Light.RED.value,
    Task.Light.YELLOW.value,
    Task.Light.GREEN.value,
    Task.Light.GREY.value,
]
LIST_LIMIT = 15
UPCOMING_DAYS = 14


def today() -> date:
    """The dashboard's clock (one seam, so tests can fix the day)."""
    return timezone.localdate()


# --- selection -------------------------------------------------------------


@dataclass(frozen=True)
class Selection:
    """What the dashboard shows: a source year, a meeting, a unit (each optional)."""

    year: int | None = None
    meeting: Meeting | None = None
    unit: Unit | None = None
    # Tasks resting on one duty clause (the catalogue's task counts link here).
    duty: DutyClause | None = None
    # Source ids per year, read once per page (see source_year_q).
    _sources: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def coverage_year(self) -> int:
        return self.year or today().year

    def year_q(self, year: int, prefix: str = "") -> Q:
        if year not in self._sources:
            self._sources[year] = source_ids(year)
        return source_year_q(year, prefix, ids=self._sources[year])


def selected_tasks(selection: Selection) -> QuerySet[Task]:
    """Tasks of the selected year and meeting (not yet narrowed to a unit)."""
    qs = Task.objects.all()
    if selection.year:
        qs = qs.filter(selection.year_q(selection.year))
    if selection.meeting is not None:
        qs = qs.filter(decision__minutes__meeting=selection.meeting)
    if selection.duty is not None:
        qs = qs.filter(
            pk__in=Task.duties.through.objects.filter(dutyclause=selection.duty).values(
                "task"
            )
        )
    return qs


# --- figures ---------------------------------------------------------------


def _days(expression) -> ExpressionWrapper:
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
                When(closed_late, then=_days(F("closed_on") - F("due_on"))),
                When(open_overdue, then=_days(today_value - F("due_on"))),
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


def _annotated(qs: QuerySet[Task], day: date) -> QuerySet[Task]:
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
        for row in _annotated(qs, day)
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
    return Figures.from_row(_annotated(qs, day).aggregate(**_figure_aggregates(day)))


def once_a_minute(key: str, count: Callable[[], T]) -> T:
    """``count()``, or what it gave under ``key`` in the last
    ``settings.DASHBOARD_CACHE_SECONDS`` (0: counted every time)."""
    seconds = settings.DASHBOARD_CACHE_SECONDS
    if not seconds:
        return count()
    value = cache.get(key)
    if value is None:
        value = count()
        cache.set(key, value, seconds)
    return value


def year_totals(day: date) -> Figures:
    """The year's totals for the office's and leaders' home pages, counted at most
    once a minute like the dashboard itself."""
    return once_a_minute(
        f"dashboard-year-totals:{day.isoformat()}",
        lambda: total_figures(selected_tasks(Selection(year=day.year)), day),
    )


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


# --- the tasks behind a figure ---------------------------------------------

# Figure -> its name on the page. "led" is every task of the scope, "co_handled"
# the tasks the unit co-handles (the unit row's 配合 column).
FIGURE_LABELS: dict[str, Any] = {
    "led": gettext_lazy("督办任务"),
    "closed": gettext_lazy("已销号"),
    "on_time": gettext_lazy("按时完成"),
    "closed_late": gettext_lazy("逾期完成"),
    "open_overdue": gettext_lazy("逾期未完成"),
    "overdue": gettext_lazy("逾期（含逾期完成）"),
    "light_red": gettext_lazy("红灯 已逾期"),
    "light_yellow": gettext_lazy("黄灯 临期或滞后"),
    "light_green": gettext_lazy("绿灯 正常推进"),
    "light_grey": gettext_lazy("灰灯 已销号"),
    "co_handled": gettext_lazy("配合任务"),
}


def figure_tasks(
    selection: Selection, figure: str, day: date, *, lead_only: bool = False
) -> QuerySet[Task]:
    """The tasks a dashboard or scorecard figure counts, deadline first.

    Without a unit: every task of the selection (the totals). With a unit: the
    tasks it leads or co-handles (the totals of a unit filter), or only those it
    leads when ``lead_only`` (its row in the unit table and its scorecard);
    ``co_handled`` needs a unit. Unknown figures raise ``KeyError``.
    """
    if figure not in FIGURE_LABELS:
        raise KeyError(figure)
    qs = _annotated(selected_tasks(selection), day)
    unit = selection.unit
    if figure == "co_handled":
        if unit is None:
            raise KeyError(figure)
        qs = qs.filter(pk__in=CoUnit.objects.filter(unit=unit).values("task"))
    elif unit is not None:
        qs = qs.filter(lead_unit=unit) if lead_only else qs.for_unit(unit)
    conditions = figure_conditions(day)
    if figure not in ("led", "co_handled"):
        qs = qs.filter(conditions[figure])
    today_value = Value(day, output_field=DateField())
    # Days late as the average counts them: to the closing day, or to today.
    late_by = Case(
        When(conditions["closed_late"], then=_days(F("closed_on") - F("due_on"))),
        When(conditions["open_overdue"], then=_days(today_value - F("due_on"))),
        default=None,
        output_field=DurationField(),
    )
    return (
        qs.select_related("lead_unit")
        .annotate(late_by=late_by)
        .order_by("due_on", "code")
    )


def upcoming_ledger_url(
    selection: Selection, day: date, days: int = UPCOMING_DAYS
) -> str:
    """The ledger filter listing every task ``upcoming_deadlines`` draws from (the
    dashboard shows the first ``LIST_LIMIT``): open, due within ``days``, in the
    selection (the ledger's unit filter is lead or co-unit, as here)."""
    params = {
        "status": "open",
        "due_from": day.isoformat(),
        "due_to": (day + timedelta(days=days)).isoformat(),
        "year": selection.year or "",
    }
    if selection.unit is not None:
        params["unit"] = selection.unit.code
    if selection.meeting is not None:
        params["meeting"] = selection.meeting.pk
    return f"{reverse('tasks:list')}?{urlencode(params)}"


def upcoming_meetings(limit: int = 5) -> list[Meeting]:
    return list(Meeting.objects.upcoming()[:limit])


# --- rules and coverage (of the duty clauses: oversight.coverage) ---------

# The annual-plenary rule (原则上每年召开一次全体会议) is checked by the meetings
# app's ``plenary_status(year)`` (imported above): the year's plenary, held first,
# else planned, or none.


def duty_task_column(user, clauses: list[DutyClause]) -> ClauseColumn | None:
    """The duty catalogue's column for the office and the leaders: how many of this
    year's tasks rest on each clause, linked to them (units do not see other
    units' work)."""
    if not (user.is_authenticated and user.sees_everything):
        return None
    year = today().year
    base = reverse("dashboard:figure_tasks")
    return ClauseColumn(
        key="duty_tasks",
        heading=gettext("%(y)s年督办任务") % {"y": year},
        cells={
            pk: Cell(
                n, f"{base}?{urlencode({'year': year, 'figure': 'led', 'duty': pk})}"
            )
            for pk, n in coverage.duty_task_counts(clauses, year).items()
        },
    )


# --- the whole page --------------------------------------------------------


def member_units(unit: Unit | None = None) -> list[Unit]:
    if unit is not None:
        return [unit]
    return list(Unit.objects.members())


def dashboard(
    selection: Selection, day: date | None = None, units: list[Unit] | None = None
) -> dict[str, Any]:
    """Everything the dashboard shows, in a fixed number of queries.

    ``units`` are the member units when the caller already has them (the filter
    form does), so they are read once.
    """
    day = day or today()
    base = lit(selected_tasks(selection), day)
    if selection.unit is not None:
        scoped = base.for_unit(selection.unit)
        rows = unit_figures(base, [selection.unit], day)
        totals = total_figures(scoped, day)
    else:
        scoped = base
        rows, totals = unit_figures_and_totals(
            base, units if units is not None else member_units(), day
        )
    upcoming, upcoming_count = upcoming_deadlines(scoped, day)
    return {
        "day": day,
        "selection": selection,
        "rows": rows,
        "totals": totals,
        **light_lists(scoped, [Task.Light.RED.value, Task.Light.YELLOW.value], day),
        "upcoming": upcoming,
        "upcoming_count": upcoming_count,
        "upcoming_url": upcoming_ledger_url(selection, day),
        "meetings": upcoming_meetings(),
        "plenary": plenary_status(selection.year or day.year),
        "coverage": coverage.duty_coverage(
            selection.coverage_year, selection.unit, selection
        ),
        "charts": chart_data(rows, totals),
        # the year's joint enforcement actions and publicity campaigns (one query,
        # kept until a campaign or report changes, a minute at most)
        "campaign_figures": year_figures_cached(selection.year or day.year),
        "list_limit": LIST_LIMIT,
        "upcoming_days": UPCOMING_DAYS,
        **figure_urls(selection),
    }


def figure_urls(selection: Selection) -> dict[str, str]:
    """Link prefixes to the tasks behind each figure; a page appends the figure's
    name (and, for ``unit_figure_url``, ``&unit=<code>``)."""
    url = reverse("dashboard:figure_tasks")
    scope = {
        "year": selection.year or "",
        "meeting": selection.meeting.pk if selection.meeting else "",
    }
    unit = {"unit": selection.unit.code} if selection.unit else {}
    return {
        "figure_url": f"{url}?{urlencode({**scope, **unit})}&figure=",
        "unit_figure_url": f"{url}?{urlencode(scope)}&scope=lead&figure=",
    }


def scorecard(unit: Unit, day: date | None = None) -> dict[str, Any]:
    """A unit's figures for the current year: exactly the dashboard filtered to the
    unit and the year (same functions)."""
    day = day or today()
    selection = Selection(year=day.year, unit=unit)
    base = lit(selected_tasks(selection), day)
    return {
        "day": day,
        "selection": selection,
        "row": unit_figures(base, [unit], day)[0],
        "totals": total_figures(base.for_unit(unit), day),
        "coverage": coverage.duty_coverage(selection.coverage_year, unit, selection),
        **figure_urls(selection),
    }


def chart_data(rows: list[Figures], totals: Figures) -> dict[str, Any]:
    """Plain data for Chart.js (read by static/js/dashboard.js via json_script)."""
    return {
        "series": {
            "on_time": gettext("按时完成"),
            "closed_late": gettext("逾期完成"),
            "open_overdue": gettext("逾期未完成"),
            "open_on_track": gettext("在办未逾期"),
        },
        "light_labels": [str(Task.Light(light).label) for light in LIGHTS],
        "units": {
            "labels": [r.unit.name for r in rows],
            "on_time": [r.on_time for r in rows],
            "closed_late": [r.closed_late for r in rows],
            "open_overdue": [r.open_overdue for r in rows],
            "open_on_track": [r.open_on_track for r in rows],
        },
        "lights": [totals.lights.get(light, 0) for light in LIGHTS],
    }
