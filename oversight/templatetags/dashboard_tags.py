"""Template helpers of the dashboard: overseer key figures, unit scorecards, numbers."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import template
from django.conf import settings

from jinwei_ip.lib.pdf import official_date as _official_date
from members.models import Unit
from oversight import bulletins, dashboard
from oversight.access import may_see_scorecard
from oversight.models import Bulletin

register = template.Library()


@register.simple_tag(takes_context=True)
def overseer_summary(context) -> dict[str, Any] | None:
    """Key figures of the current year for the office's and leaders' home pages
    (the plenary rule is shown there by the meetings app). The figures are the
    dashboard's, counted at most once a minute; one query for the latest bulletin."""
    user = context["request"].user
    if not user.is_authenticated or not user.sees_everything:
        return None
    day = dashboard.today()
    return {
        "day": day,
        "totals": dashboard.year_totals(day),
        "cached": bool(settings.DASHBOARD_CACHE_SECONDS),
        "latest": Bulletin.objects.filter(status=Bulletin.Status.ISSUED).first(),
    }


@register.simple_tag(takes_context=True)
def unit_scorecard(context, unit: Unit) -> dict[str, Any] | None:
    """The unit's scorecard, or None for people who may not see it
    (``oversight.access.may_see_scorecard``)."""
    if not may_see_scorecard(context["request"].user, unit):
        return None
    return dashboard.scorecard(unit)


@register.simple_tag
def bulletin_number(bulletin: Bulletin) -> str:
    return bulletins.number_label(bulletin)


@register.filter
def rate(value: float | None) -> str:
    """A completion rate in percent, or a dash when there is nothing to divide."""
    if value is None:
        return "—"
    return f"{value:g}%"


@register.filter
def dash(value) -> str:
    return "—" if value is None else f"{value:g}" if isinstance(value, float) else value


@register.filter
def days(value: timedelta | None) -> int:
    return value.days if value else 0


@register.filter
def official_date(value) -> str:
    """2026年3月8日, as official documents write a date (a date or ISO text)."""
    return _official_date(value)
