"""The leaders' dashboard and the unit scorecard: the page's selection (year,
meeting, unit, duty clause), the tasks behind a figure, and the whole page in a
fixed number of queries. The figures themselves and their definitions are in
``oversight.figures``; the dashboard and the scorecard call the same functions
there, so their numbers match.
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
    DateField,
    DurationField,
    F,
    Q,
    QuerySet,
    Value,
    When,
)
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
from tasks.models import CoUnit, Task
from tasks.sources import source_ids, source_year_q

from . import coverage
from .figures import (
    LIGHTS,
    LIST_LIMIT,
    UPCOMING_DAYS,
    Figures,
    annotated,
    as_duration,
    figure_conditions,
    light_lists,
    lit,
    total_figures,
    unit_figures,
    unit_figures_and_totals,
    upcoming_deadlines,
)

T = TypeVar("T")


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
    qs = annotated(selected_tasks(selection), day)
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
        When(conditions["closed_late"], then=as_duration(F("closed_on") - F("due_on"))),
        When(conditions["open_overdue"], then=as_duration(today_value - F("due_on"))),
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
