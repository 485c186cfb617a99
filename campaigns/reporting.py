"""Who has reported what: the reporting status of every unit and period, with the
lights the task ledger uses (computed from dates on the working-day calendar,
never stored)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from tasks.models import Task

from .models import ReportingPeriod, UnitReport

# light -> label; the CSS classes are the tasks' (light-red, light-yellow …)
LABELS = {
    "done": _("已报送"),
    "returned": _("已退回"),
    "red": _("逾期未报"),
    "yellow": _("临近时限"),
    "green": _("待报送"),
    "future": _("未开始"),
}
CSS = {
    "done": "grey",
    "returned": "red",
    "red": "red",
    "yellow": "yellow",
    "green": "green",
    "future": "none",
}


@dataclass
class Cell:
    period: ReportingPeriod
    state: str
    report: UnitReport | None = None

    @property
    def label(self) -> str:
        return str(LABELS[self.state])

    @property
    def css(self) -> str:
        return CSS[self.state]

    @property
    def owing(self) -> bool:
        return self.state in ("returned", "red", "yellow", "green")

    @property
    def needs_reminder(self) -> bool:
        """Late, due soon or returned: what 催报 and the daily digest are for."""
        return self.state in ("returned", "red", "yellow")


def state(
    period: ReportingPeriod, report: UnitReport | None, today: date, warn_until: date
) -> str:
    if report is not None:
        return "returned" if report.is_returned else "done"
    if period.start_on > today:
        return "future"
    if period.due_on < today:
        return "red"
    if period.due_on <= warn_until:
        return "yellow"
    return "green"


# The warning window depends on the day and the office's working-day table only;
# it is read once every few minutes rather than on every page that shows lights.
WARN_CACHE_SECONDS = 300


def warn_until(today: date) -> date:
    """The last due date that counts as 临近 (the tasks' warning window, in
    working days)."""
    return cache.get_or_set(
        f"campaigns:warn_until:{today.isoformat()}",
        lambda: Task.light_thresholds(today)[0],
        WARN_CACHE_SECONDS,
    )


def status_grid(
    periods: list[ReportingPeriod],
    units: list,
    reports: list[UnitReport],
    today: date,
) -> list[dict]:
    """[{unit, cells: [Cell per period], owing: n}] from rows already loaded."""
    until = warn_until(today)
    by_key = {(r.period_id, r.unit_id): r for r in reports}
    rows = []
    for unit in units:
        cells = [
            Cell(
                p,
                state(p, by_key.get((p.pk, unit.pk)), today, until),
                by_key.get((p.pk, unit.pk)),
            )
            for p in periods
        ]
        rows.append(
            {
                "unit": unit,
                "cells": cells,
                "late": sum(1 for c in cells if c.state in ("red", "returned")),
            }
        )
    return rows


def current_period(
    periods: list[ReportingPeriod], today: date
) -> ReportingPeriod | None:
    """The period whose reports are being collected now: the earliest started one
    whose deadline has not passed, else the last started one."""
    started = [p for p in periods if p.start_on <= today]
    if not started:
        return None
    pending = [p for p in started if p.due_on >= today and p.end_on < today]
    return pending[0] if pending else started[-1]
