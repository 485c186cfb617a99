"""A campaign's figures as Excel (formula-safe, through jinwei_ip.lib.xlsx):
every unit's figure of every period, then the unit totals and the campaign total
as the page computes them (numbers stay numbers)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from jinwei_ip.lib.xlsx import write_table
from members.models import Unit

from .figures import indicator_totals, unit_totals
from .models import Campaign, Figure, Indicator


def _number(value: Decimal | None, indicator: Indicator):
    if value is None:
        return ""
    return int(value) if indicator.is_integer else float(value)


def figures_workbook(campaign: Campaign) -> bytes:
    indicators = [
        link.indicator for link in campaign.indicator_links.select_related("indicator")
    ]
    units = list(Unit.objects.filter(campaigns=campaign).order_by("order", "pk"))
    periods = list(campaign.periods.all())
    values = {
        (f.period_id, f.unit_id, f.indicator_id): f
        for f in Figure.objects.filter(campaign=campaign).select_related("report")
    }
    rows = []
    for period in periods:
        for unit in units:
            cells = [values.get((period.pk, unit.pk, i.pk)) for i in indicators]
            filed = [c for c in cells if c]
            if not filed:
                continue
            rows.append(
                [period.label, unit.name, str(filed[0].report.get_status_display())]
                + [
                    _number(c.value if c else None, i)
                    for c, i in zip(cells, indicators, strict=True)
                ]
            )
    by_unit = unit_totals(campaign)
    for unit in units:
        rows.append(
            [_("合计（各期）"), unit.name, ""]
            + [_number(by_unit.get((unit.pk, i.pk)), i) for i in indicators]
        )
    totals = indicator_totals(Figure.objects.filter(campaign=campaign))
    rows.append(
        [_("合计（各期）"), _("全部单位"), ""]
        + [_number(totals.get(i.pk, Decimal(0)), i) for i in indicators]
    )
    headers = [_("报送期"), _("单位"), _("报表状态")] + [i.label for i in indicators]
    return write_table(
        title=_("统计数据"),
        caption=_("%(name)s统计数据（%(s)s 至 %(e)s）；合计不含被退回的报表")
        % {"name": campaign.name, "s": campaign.start_on, "e": campaign.end_on},
        headers=headers,
        rows=rows,
        widths=[26, 18, 10] + [14] * len(indicators),
    )
