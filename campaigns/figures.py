"""Every total of a campaign, computed in the database from the figures entered.

Rules (the campaign page, the summary PDF, the Excel file, the dashboard and the
bulletins all call these functions, so their numbers agree):

- only reports that stand count: a returned report (退回) is left out until the
  unit files it again;
- a per-period indicator adds up over the periods;
- a cumulative indicator (累计数, e.g. 新媒体阅读量) is reported to date in every
  period, so a unit's total is its figure of the latest period it reported, and
  the campaign's total is the sum of the units' latest figures.

Each function is one aggregate query, whatever the number of units, periods or
reports.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db.models import (
    CharField,
    Count,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from .models import Campaign, Figure, Indicator, UnitReport

COUNTED = UnitReport.Status.SUBMITTED

# Figure.value is numeric(14, 2); TypicalCase's amounts numeric(12, 2). A value
# past these is refused, never rounded or cut (PostgreSQL raises on overflow,
# and rounds 1.234 to 1.23 without a word).
FIGURE_LIMIT = Decimal("1e12")
AMOUNT_LIMIT = Decimal("1e10")
PLACES = 2


def decimal_places(value: Decimal) -> int:
    """How many decimals ``value`` has as typed, trailing zeros aside (1.50 has
    one); exact for any exponent (``normalize`` would round to 28 digits)."""
    _sign, digits, exponent = value.as_tuple()
    if not isinstance(exponent, int) or exponent >= 0:
        return 0
    zeros = 0
    for digit in reversed(digits):
        if digit != 0 or zeros >= -exponent:
            break
        zeros += 1
    return -exponent - zeros


def _shown(value: Decimal) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "…"


def number_problem(value: Decimal, *, limit: Decimal) -> str | None:
    """What keeps ``value`` from being stored as typed (the phrase after the
    field's name), or None: not a number (NaN, Infinity), too large, more than
    two decimals, negative."""
    if not value.is_finite():
        return _("不是数字（填写的是 %(v)s）") % {"v": _shown(value)}
    if value < 0:
        return _("不能为负数（填写的是 %(v)s）") % {"v": _shown(value)}
    if value >= limit:
        return _("数值过大（填写的是 %(v)s）") % {"v": _shown(value)}
    if decimal_places(value) > PLACES:
        return _("最多保留两位小数（填写的是 %(v)s）") % {"v": _shown(value)}
    return None


def figure_problem(value: Decimal, indicator: Indicator) -> str | None:
    """What is wrong with ``value`` as a figure of ``indicator`` (the phrase
    after the place it was typed: unit, period, indicator), or None."""
    problem = number_problem(value, limit=FIGURE_LIMIT)
    if problem:
        return problem
    if indicator.is_integer and value != value.to_integral_value():
        return _("应为整数（填写的是 %(v)s）") % {"v": _shown(value)}
    return None


def amount_problem(value: Decimal | None) -> str | None:
    """A typical case's 涉案金额 or 罚没款 (万元), or None when it is fine."""
    if value is None:
        return None
    return number_problem(value, limit=AMOUNT_LIMIT)


def counted(figures: QuerySet[Figure]) -> QuerySet[Figure]:
    """Figures of reports that stand, each marked ``superseded`` when it is a
    cumulative figure that a later period of the same unit replaces."""
    later = Figure.objects.filter(
        campaign=OuterRef("campaign"),
        unit=OuterRef("unit"),
        indicator=OuterRef("indicator"),
        period__number__gt=OuterRef("period__number"),
        report__status=COUNTED,
    )
    return figures.filter(report__status=COUNTED).annotate(superseded=Exists(later))


def _total() -> Sum:
    return Sum("value", filter=Q(indicator__cumulative=False) | Q(superseded=False))


def _grouped(figures: QuerySet[Figure], *keys: str) -> dict:
    rows = counted(figures).order_by().values(*keys).annotate(total=_total())
    out = {}
    for row in rows:
        key = tuple(row[k] for k in keys)
        out[key if len(keys) > 1 else key[0]] = row["total"] or Decimal(0)
    return out


def unit_totals(campaign: Campaign) -> dict[tuple[int, int], Decimal]:
    """{(unit id, indicator id): the unit's total over the campaign}."""
    return _grouped(Figure.objects.filter(campaign=campaign), "unit_id", "indicator_id")


def indicator_totals(figures: QuerySet[Figure]) -> dict[int, Decimal]:
    """{indicator id: total} over any selection of figures (one campaign, a year)."""
    return _grouped(figures, "indicator_id")


def period_totals(campaign: Campaign) -> dict[tuple[int, int], Decimal]:
    """{(period id, indicator id): what the units reported for the period} — for
    a cumulative indicator, the units' figures to date at that period."""
    rows = (
        Figure.objects.filter(campaign=campaign, report__status=COUNTED)
        .order_by()
        .values("period_id", "indicator_id")
        .annotate(total=Sum("value"))
    )
    return {(r["period_id"], r["indicator_id"]): r["total"] for r in rows}


def fmt(value: Decimal | None, indicator: Indicator) -> str:
    """A figure as written in tables: integers without decimals, others with at
    most two (trailing zeros dropped)."""
    if value is None:
        return ""
    if indicator.is_integer:
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")


@dataclass
class Table:
    """The figures of one campaign laid out for a page, the PDF and Excel."""

    indicators: list[Indicator]
    rows: list[dict] = field(default_factory=list)  # {unit, cells: [str]}
    totals: list[str] = field(default_factory=list)
    periods: list[dict] = field(default_factory=list)  # {period, cells: [str]}
    raw_totals: dict[int, Decimal] = field(default_factory=dict)


def campaign_table(
    campaign: Campaign, indicators: list[Indicator], units: list, periods: list
) -> Table:
    """Unit × indicator with totals, and period × indicator (two queries). The
    campaign's totals add up the units' (the same as ``indicator_totals``: each
    unit's cumulative figure counts once), so the table needs no third query."""
    by_unit = unit_totals(campaign)
    totals: dict[int, Decimal] = defaultdict(Decimal)
    for (_unit_id, ind_id), value in by_unit.items():
        totals[ind_id] += Decimal(value)
    by_period = period_totals(campaign)
    table = Table(indicators=indicators, raw_totals=dict(totals))
    for unit in units:
        table.rows.append(
            {
                "unit": unit,
                "cells": [fmt(by_unit.get((unit.pk, i.pk)), i) for i in indicators],
            }
        )
    table.totals = [fmt(totals.get(i.pk, Decimal(0)), i) for i in indicators]
    for period in periods:
        table.periods.append(
            {
                "period": period,
                "cells": [fmt(by_period.get((period.pk, i.pk)), i) for i in indicators],
            }
        )
    return table


INDICATOR_CACHE_SECONDS = 300
# The year's campaign figures on the dashboard are kept this long at most, and
# forgotten at once (in this process) when a report or campaign changes: with a
# per-process cache another server may show them a minute late, as it may the
# rest of the dashboard (DASHBOARD_CACHE_SECONDS).
YEAR_CACHE_SECONDS = 60


def _year_key(year: int) -> str:
    return f"campaigns:year-figures:{year}"


def year_figures_cached(year: int) -> dict:
    return cache.get_or_set(
        _year_key(year), lambda: year_figures(year), YEAR_CACHE_SECONDS
    )


def forget_year(*years: int) -> None:
    cache.delete_many([_year_key(y) for y in years])


def catalogue() -> list[Indicator]:
    """The indicator catalogue, read at most every few minutes (the dashboard
    names its figures by it on every visit; the office edits it rarely)."""
    return cache.get_or_set(
        "campaigns:indicators",
        lambda: list(Indicator.objects.all()),
        INDICATOR_CACHE_SECONDS,
    )


def year_figures(year: int) -> dict:
    """The year's campaigns for the leaders' dashboard: how many of each kind (and
    how many running), and the totals of every indicator over the year's
    campaigns of that kind — one query: the campaign counts and the figure totals as one
    UNION ALL (the dashboard stays within its query budget)."""
    counts_q = (
        Campaign.objects.filter(start_on__year=year)
        .order_by()
        .values("kind", "status")
        .annotate(
            tag=Value("c"),
            n=Cast(Count("pk"), DecimalField(max_digits=20, decimal_places=2)),
        )
        .values_list("tag", "kind", "status", "n")
    )
    totals_q = (
        counted(Figure.objects.filter(campaign__start_on__year=year))
        .order_by()
        .values("campaign__kind", "indicator_id")
        .annotate(
            tag=Value("f"),
            key=Cast("indicator_id", CharField()),
            sub=F("campaign__kind"),
            n=Cast(_total(), DecimalField(max_digits=20, decimal_places=2)),
        )
        .values_list("tag", "key", "sub", "n")
    )
    counts: dict[tuple[str, str], int] = defaultdict(int)
    totals: dict[tuple[str, int], Decimal] = {}
    for tag, key, sub, n in counts_q.union(totals_q, all=True):
        if tag == "c":
            counts[(key, sub)] += int(n)
        else:
            totals[(sub, int(key))] = Decimal(n or 0)
    indicators = catalogue()
    by_kind = []
    for kind, label in Campaign.Kind.choices:
        n = sum(v for (k, _s), v in counts.items() if k == kind)
        running = counts[(kind, Campaign.Status.ACTIVE)]
        items = [
            {"indicator": i, "value": fmt(totals[(kind, i.pk)], i)}
            for i in indicators
            if (kind, i.pk) in totals
        ]
        by_kind.append(
            {
                "kind": kind,
                "label": label,
                "count": n,
                "active": running,
                "items": items,
            }
        )
    return {"year": year, "by_kind": by_kind, "total": sum(counts.values())}


def citation(campaign: Campaign) -> dict:
    """A campaign's figures as a bulletin cites them: a JSON-ready snapshot (the
    bulletin freezes it when issued), per unit and in total."""
    from members.models import Unit

    indicators = [
        link.indicator for link in campaign.indicator_links.select_related("indicator")
    ]
    units = list(Unit.objects.filter(campaigns=campaign).order_by("order", "pk"))
    table = campaign_table(campaign, indicators, units, [])
    return {
        "id": campaign.pk,
        "name": campaign.name,
        "kind": campaign.get_kind_display(),
        "start_on": campaign.start_on.isoformat(),
        "end_on": campaign.end_on.isoformat(),
        "organiser": campaign.organiser.name,
        "indicators": [i.label for i in indicators],
        "units": [
            {"unit": row["unit"].name, "cells": row["cells"]} for row in table.rows
        ],
        "totals": table.totals,
    }
