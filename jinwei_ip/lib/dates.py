"""The sane range of every date the portal accepts.

Nothing the group does is dated before it was set up (宝金政办字〔2022〕46号,
2022-09-22), and nothing is planned more than ``YEARS_AHEAD`` years ahead. A date
outside that range is a typing slip (1900, 9999-12-31) that would number a
meeting 1900-专题1 or overflow date arithmetic (``9999-12-31 + 1 day``) in a
calendar feed or a deadline check. Forms refuse it with a message naming the
field; services check it again, so no other path stores it.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

FOUNDED = date(2022, 9, 22)
YEARS_AHEAD = 10


def latest_date(today: date | None = None) -> date:
    """``YEARS_AHEAD`` years after today (28 February for a 29 February)."""
    today = today or timezone.localdate()
    try:
        return today.replace(year=today.year + YEARS_AHEAD)
    except ValueError:
        return today.replace(year=today.year + YEARS_AHEAD, day=28)


def _as_date(value: date | datetime) -> date:
    if isinstance(value, datetime):
        return (
            timezone.localtime(value).date()
            if timezone.is_aware(value)
            else value.date()
        )
    return value


def date_refusal(
    value: date | datetime,
    *,
    label: str = "",
    earliest: date | None = FOUNDED,
    today: date | None = None,
) -> str | None:
    """Why ``value`` is out of range (a Chinese message naming ``label``), or None.
    ``earliest=None`` for dates with no lower bound of their own."""
    day = _as_date(value)
    latest = latest_date(today)
    label = label or _("日期")
    if earliest is not None and day < earliest:
        return _("%(label)s不能早于 %(earliest)s（领导小组成立之日）。") % {
            "label": label,
            "earliest": earliest.isoformat(),
        }
    if day > latest:
        return _("%(label)s不能晚于 %(latest)s（今后%(years)d年以内）。") % {
            "label": label,
            "latest": latest.isoformat(),
            "years": YEARS_AHEAD,
        }
    return None


def check_date(
    value: date | datetime | None,
    *,
    field: str,
    label: str,
    earliest: date | None = FOUNDED,
) -> None:
    """For services: raise ValidationError({field: message}) when out of range."""
    if value is None:
        return
    refusal = date_refusal(value, label=label, earliest=earliest)
    if refusal:
        raise ValidationError({field: refusal})


def check_dates(fields: dict[str, tuple[str, date | datetime | None]]) -> None:
    """For services: every date of ``{field: (label, value)}`` at once; raises one
    ValidationError keyed by field, each message naming its field."""
    errors = {}
    for name, (label, value) in fields.items():
        refusal = None if value is None else date_refusal(value, label=label)
        if refusal:
            errors[name] = refusal
    if errors:
        raise ValidationError(errors)


def latest_year(today: date | None = None) -> int:
    return latest_date(today).year


def year_refusal(year: int, *, label: str = "") -> str | None:
    """Why ``year`` (a round's, a plan's) is out of range, or None: from the
    group's founding year to ``YEARS_AHEAD`` years ahead."""
    label = label or _("年度")
    if year < FOUNDED.year:
        return _("%(label)s不能早于 %(earliest)d 年（领导小组成立之年）。") % {
            "label": label,
            "earliest": FOUNDED.year,
        }
    latest = latest_year()
    if year > latest:
        return _("%(label)s不能晚于 %(latest)d 年（今后%(years)d年以内）。") % {
            "label": label,
            "latest": latest,
            "years": YEARS_AHEAD,
        }
    return None


def check_year(year: int | None, *, field: str, label: str) -> None:
    """For services: raise ValidationError({field: message}) when out of range."""
    if year is None:
        return
    refusal = year_refusal(year, label=label)
    if refusal:
        raise ValidationError({field: refusal})


def add_days(day: date, days: int) -> date:
    """``day + days``, held at the calendar's ends instead of overflowing."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


class _RangeMixin:
    earliest: date | None = FOUNDED

    def __init__(self, *args, earliest: date | None = FOUNDED, **kwargs) -> None:
        self.earliest = earliest
        super().__init__(*args, **kwargs)

    def validate(self, value) -> None:
        super().validate(value)
        if value in self.empty_values:
            return
        refusal = date_refusal(
            value, label=str(self.label or ""), earliest=self.earliest
        )
        if refusal:
            raise ValidationError(refusal, code="date_range")


class PortalDateField(_RangeMixin, forms.DateField):
    """A DateField that refuses dates outside the portal's range."""


class PortalDateTimeField(_RangeMixin, forms.DateTimeField):
    """A DateTimeField that refuses dates outside the portal's range."""


class PortalYearField(forms.IntegerField):
    """A year from the group's founding year to ``YEARS_AHEAD`` years ahead (the
    upper end moves with today, so it is checked when cleaning); a number too
    large for the database (99999) is refused by the same message."""

    def validate(self, value) -> None:
        super().validate(value)
        if value in self.empty_values:
            return
        refusal = year_refusal(value, label=str(self.label or ""))
        if refusal:
            raise ValidationError(refusal, code="year_range")
