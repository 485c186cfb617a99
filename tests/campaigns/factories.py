"""Small builders for campaign tests: a running campaign of the cast's units A and
B (A organises), with periods that have started, and reports filed through the
services."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from campaigns import reports, services
from campaigns.models import Campaign, Indicator, ReportingPeriod, UnitReport


def indicator(code: str) -> Indicator:
    return Indicator.objects.get(code=code)


def make_campaign(
    *,
    by,
    organiser,
    units,
    kind: str = Campaign.Kind.ENFORCEMENT,
    start: date | None = None,
    weeks: int = 3,
    schedule: str = Campaign.Schedule.WEEKLY,
    start_it: bool = True,
    name: str = "知识产权执法“铁拳”行动",
    indicators=None,
) -> Campaign:
    today = timezone.localdate()
    # a Monday far enough back that every weekly period has started and ended
    start = start or today - timedelta(days=today.weekday() + 7 * weeks)
    campaign = services.campaign_create(
        kind=kind,
        name=name,
        start_on=start,
        end_on=start + timedelta(days=7 * weeks - 1),
        schedule=schedule,
        organiser=organiser,
        units=units,
        indicators=indicators,
        by=by,
    )
    if start_it:
        campaign = services.campaign_advance(
            campaign=campaign, by=by, to=Campaign.Status.ACTIVE
        )
    return campaign


def period(campaign: Campaign, number: int) -> ReportingPeriod:
    return ReportingPeriod.objects.get(campaign=campaign, number=number)


def values(campaign: Campaign, **by_code) -> dict[int, Decimal]:
    """{indicator id: value} for every indicator of the campaign: those named by
    code (dashes as underscores), the rest 0."""
    out = {}
    for link in campaign.indicator_links.select_related("indicator"):
        code = link.indicator.code.replace("-", "_")
        out[link.indicator_id] = Decimal(str(by_code.get(code, 0)))
    return out


def file(
    campaign, number: int, by, *, narrative="本期开展执法检查。", cases=(), **figures
):
    return reports.report_file(
        campaign=Campaign.objects.get(pk=campaign.pk),
        period=period(campaign, number),
        by=by,
        version=0,
        narrative=narrative,
        values=values(campaign, **figures),
        cases=list(cases),
    )


def form_data(
    campaign, *, version=0, narrative="本期开展执法检查。", **figures
) -> dict:
    """POST data of the report form."""
    data = {
        "version": str(version),
        "narrative": narrative,
        "cases-TOTAL_FORMS": "2",
        "cases-INITIAL_FORMS": "0",
        "cases-MIN_NUM_FORMS": "0",
        "cases-MAX_NUM_FORMS": "10",
    }
    for ind_id, value in values(campaign, **figures).items():
        data[f"ind_{ind_id}"] = str(value)
    return data


def returned(report: UnitReport, by) -> UnitReport:
    return reports.report_return(report=report, by=by, reason="数据与清单不一致")
