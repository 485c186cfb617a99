"""Working days on the Chinese official calendar (pure: no database).

chinese-calendar knows the State Council's holiday arrangements up to the year of
its release. Later years and local adjustments come from the caller as
``overrides`` (day → is a working day), which the office keeps in a table
(``tasks.WorkdayOverride``, read by ``tasks.workdays``); days in neither fall back
to Monday–Friday.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from functools import lru_cache

import chinese_calendar

NO_OVERRIDES: Mapping[date, bool] = {}


@lru_cache(maxsize=4096)
def _calendar_says(day: date) -> bool | None:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:  # a year the package does not know yet
        return None


def is_workday(day: date, overrides: Mapping[date, bool] = NO_OVERRIDES) -> bool:
    if day in overrides:
        return overrides[day]
    known = _calendar_says(day)
    return known if known is not None else day.weekday() < 5


def reach(start: date, count: int) -> date:
    """The last day ``add_workdays(start, count)`` can need overrides for (generous:
    Golden Week and Spring Festival fit many times over)."""
    return start + timedelta(days=count * 3 + 30)


def add_workdays(
    start: date, count: int, overrides: Mapping[date, bool] = NO_OVERRIDES
) -> date:
    """The date ``count`` working days after ``start`` (start itself not counted)."""
    day = start
    remaining = count
    while remaining > 0:
        day += timedelta(days=1)
        if is_workday(day, overrides):
            remaining -= 1
    return day


def workdays_between(
    start: date, end: date, overrides: Mapping[date, bool] = NO_OVERRIDES
) -> int:
    """Working days after ``start`` up to and including ``end`` (0 if end <= start)."""
    if end <= start:
        return 0
    return sum(
        1 for day in _days(start + timedelta(days=1), end) if is_workday(day, overrides)
    )


def _days(start: date, end: date) -> Iterable[date]:
    day = start
    while day <= end:
        yield day
        day += timedelta(days=1)
