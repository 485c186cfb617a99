"""Working days on the Chinese official calendar.

chinese-calendar knows the State Council's holiday arrangements up to the year of
its release. The office keeps a small override table (tasks.WorkdayOverride) for
later years or local adjustments; days in neither fall back to Monday–Friday.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache

import chinese_calendar


@lru_cache(maxsize=4096)
def _calendar_says(day: date) -> bool | None:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:  # a year the package does not know yet
        return None


def _overrides(start: date, end: date) -> dict[date, bool]:
    from tasks.models import WorkdayOverride

    return dict(
        WorkdayOverride.objects.filter(day__range=(start, end)).values_list(
            "day", "is_workday"
        )
    )


def is_workday(day: date, overrides: dict[date, bool] | None = None) -> bool:
    if overrides is None:
        overrides = _overrides(day, day)
    if day in overrides:
        return overrides[day]
    known = _calendar_says(day)
    return known if known is not None else day.weekday() < 5


def add_workdays(start: date, count: int) -> date:
    """The date ``count`` working days after ``start`` (start itself not counted)."""
    overrides = _overrides(start, start + timedelta(days=count * 3 + 30))
    day = start
    remaining = count
    while remaining > 0:
        day += timedelta(days=1)
        if is_workday(day, overrides):
            remaining -= 1
    return day


def workdays_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 if end <= start)."""
    if end <= start:
        return 0
    overrides = _overrides(start, end)
    return sum(
        1 for day in _days(start + timedelta(days=1), end) if is_workday(day, overrides)
    )


def _days(start: date, end: date) -> Iterable[date]:
    day = start
    while day <= end:
        yield day
        day += timedelta(days=1)
