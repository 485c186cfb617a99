"""The portal's working-day calendar: ``jinwei_ip.lib.workdays`` with the office's
override table (WorkdayOverride, edited on /tasks/workdays/ and in the admin)."""

from __future__ import annotations

from datetime import date

from jinwei_ip.lib import workdays as calendar

from .models import WorkdayOverride


def overrides(start: date, end: date) -> dict[date, bool]:
    return WorkdayOverride.objects.between(start, end)


def is_workday(day: date) -> bool:
    return calendar.is_workday(day, overrides(day, day))


def add_workdays(start: date, count: int) -> date:
    """The date ``count`` working days after ``start`` (start itself not counted)."""
    return calendar.add_workdays(
        start, count, overrides(start, calendar.reach(start, count))
    )


def workdays_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 if end <= start)."""
    if end <= start:
        return 0
    return calendar.workdays_between(start, end, overrides(start, end))
