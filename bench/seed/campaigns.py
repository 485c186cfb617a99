"""Campaigns for the benchmark database (``manage.py seed_bench --campaigns N``).

200 campaigns by default over the seeded years (enforcement actions and publicity
campaigns, a few of other work), each reported weekly by three to seven units with
every figure of every week, a typical case in about one report in eight, and
returns here and there. The current year's campaigns are running, so pages show
lights in every colour. Written with ``bulk_create`` from the command's seeded
random generator; grants through ``members.grants`` in bulk, the same rows the
services write one campaign at a time.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from campaigns.models import (
    Campaign,
    CampaignEvent,
    CampaignIndicator,
    Figure,
    Indicator,
    Participant,
    ReportingPeriod,
    TypicalCase,
    UnitReport,
)
from campaigns.services import REPORT_WORKDAYS, period_bounds
from members.grants import grant_campaigns_from_query

from .base import BATCH

NAMES = {
    Campaign.Kind.ENFORCEMENT: [
        "“铁拳”行动",
        "“龙腾”行动",
        "“昆仑”行动",
        "双打专项行动",
        "商标侵权专项整治",
    ],
    Campaign.Kind.PUBLICITY: [
        "“4·26”知识产权宣传周",
        "知识产权进企业宣传月",
        "地理标志宣传季",
        "版权宣传活动",
    ],
    Campaign.Kind.OTHER: ["知识产权纠纷调解专项工作", "专利代理行业专项整治"],
}
# typical magnitudes of a unit's weekly figure, by indicator code
SCALE = {
    "enf-staff": 40,
    "enf-inspected": 80,
    "enf-filed": 3,
    "enf-closed": 2,
    "enf-penalty": 5,
    "enf-seized": 300,
    "enf-transferred": 1,
    "enf-amount": 20,
    "pub-events": 4,
    "pub-public": 800,
    "pub-materials": 2000,
    "pub-media": 3,
    "pub-reads": 5000,
    "pub-training-sessions": 2,
    "pub-training-people": 120,
}


def _chunks(items: list, size: int = BATCH):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _due(end: date) -> date:
    """REPORT_WORKDAYS working days later, Monday–Friday (the services read the
    holiday calendar; a bench database need not)."""
    day, left = end, REPORT_WORKDAYS
    while left:
        day += timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    return day


class CampaignSeeder:
    """The seed_bench command's campaigns part (a mixin, like the other parts)."""

    def make_campaigns(self, count: int = 200) -> int:
        """Add ``count`` campaigns; returns the number of figures written."""
        return seed(self, count)


def seed(command, count: int = 200) -> int:
    """Add ``count`` campaigns; returns the number of figures written."""
    rng = command.rng
    today = command.today
    units = command.units
    office = command.office_users[0]
    years = sorted({today.year - n for n in range(10)})
    indicators = {
        kind: list(Indicator.objects.filter(default_for=kind, is_active=True))
        for kind in Campaign.Kind.values
    }
    indicators[Campaign.Kind.OTHER] = indicators[Campaign.Kind.ENFORCEMENT][:4]
    now = timezone.now()

    def aware(day: date, hour: int = 10) -> datetime:
        return timezone.make_aware(datetime.combine(day, time(hour)))

    campaigns, plans = [], []
    for n in range(count):
        year = years[n % len(years)]
        kind = rng.choices(Campaign.Kind.values, weights=[50, 40, 10])[0]
        if year == today.year and n % 3 == 0:
            start = today - timedelta(days=rng.randint(7, 60))
        else:
            start = date(year, rng.randint(1, 10), rng.randint(1, 28))
        start -= timedelta(days=start.weekday())  # campaigns start on a Monday
        weeks = rng.randint(4, 12)
        end = start + timedelta(days=7 * weeks - 1)
        members = rng.sample(units, rng.randint(3, 7))
        status = (
            Campaign.Status.ACTIVE
            if end >= today - timedelta(days=14)
            else Campaign.Status.ARCHIVED
        )
        if start > today:
            status = Campaign.Status.PREPARING
        campaigns.append(
            Campaign(
                kind=kind,
                name=f"{year}年{rng.choice(NAMES[kind])}（{n + 1}）",
                start_on=start,
                end_on=end,
                schedule=Campaign.Schedule.WEEKLY,
                organiser=members[0],
                description="各参加单位按周报送工作数据。",
                status=status,
                summary="一、总体情况\n行动取得阶段性成效。"
                if status == "archived"
                else "",
                summary_issued_at=aware(end + timedelta(days=20))
                if status == "archived"
                else None,
                created_by=office,
            )
        )
        plans.append((members, kind))
    Campaign.objects.bulk_create(campaigns)
    Campaign.objects.filter(pk__in=[c.pk for c in campaigns]).update(created_at=now)

    links, participants, periods = [], [], []
    for campaign, (members, kind) in zip(campaigns, plans, strict=True):
        participants += [Participant(campaign=campaign, unit=u) for u in members]
        links += [
            CampaignIndicator(campaign=campaign, indicator=ind, order=i)
            for i, ind in enumerate(indicators[kind])
        ]
        for number, (first, last) in enumerate(
            period_bounds(campaign.start_on, campaign.end_on, campaign.schedule), 1
        ):
            periods.append(
                ReportingPeriod(
                    campaign=campaign,
                    number=number,
                    start_on=first,
                    end_on=last,
                    due_on=_due(last),
                )
            )
    for model, rows in ((Participant, participants), (CampaignIndicator, links)):
        for chunk in _chunks(rows):
            model.objects.bulk_create(chunk)
    for chunk in _chunks(periods):
        ReportingPeriod.objects.bulk_create(chunk)
    grant_campaigns_from_query(
        Campaign.objects.filter(pk__in=[c.pk for c in campaigns])
    )

    members_of = {c.pk: m for c, (m, _k) in zip(campaigns, plans, strict=True)}
    kind_of = {c.pk: k for c, (_m, k) in zip(campaigns, plans, strict=True)}
    reports = []
    for period in periods:
        if period.start_on > today:
            continue
        overdue = period.due_on < today
        for unit in members_of[period.campaign_id]:
            # the current weeks are partly reported; past weeks nearly all
            if rng.random() > (0.97 if overdue else 0.5):
                continue
            author = command.unit_users[unit.pk][0]
            returned = rng.random() < 0.03
            reports.append(
                UnitReport(
                    campaign_id=period.campaign_id,
                    period=period,
                    unit=unit,
                    status=UnitReport.Status.RETURNED
                    if returned
                    else UnitReport.Status.SUBMITTED,
                    narrative="本周按方案开展工作，数据见报表。",
                    author=author,
                    submitted_at=aware(min(period.due_on, today), 16),
                    returned_reason="数据与附件不一致，请核实。" if returned else "",
                )
            )
    for chunk in _chunks(reports):
        UnitReport.objects.bulk_create(chunk)

    figures, cases = [], []
    running: dict[tuple[int, int, int], int] = {}
    for report in reports:
        for ind in indicators[kind_of[report.campaign_id]]:
            scale = SCALE.get(ind.code, 5)
            value = rng.randint(0, scale * 2)
            key = (report.campaign_id, report.unit_id, ind.pk)
            if ind.cumulative:
                running[key] = running.get(key, 0) + value
                value = running[key]
            elif ind.check_role == Indicator.Check.CLOSED:
                value = min(value, rng.randint(0, SCALE["enf-filed"]))
            amount = Decimal(value) if ind.is_integer else Decimal(value) / 4
            figures.append(
                Figure(
                    report=report,
                    campaign_id=report.campaign_id,
                    period=report.period,
                    unit=report.unit,
                    indicator=ind,
                    value=amount,
                )
            )
        if rng.random() < 0.125:
            cases.append(
                TypicalCase(
                    report=report,
                    title="查处侵犯注册商标专用权案",
                    summary="执法人员现场查扣侵权商品，依法立案查处。",
                    amount=Decimal(rng.randint(1, 200)),
                )
            )
    for chunk in _chunks(figures):
        Figure.objects.bulk_create(chunk)
    for chunk in _chunks(cases):
        TypicalCase.objects.bulk_create(chunk)
    CampaignEvent.objects.bulk_create(
        [
            CampaignEvent(
                campaign=c,
                kind=CampaignEvent.Kind.CREATED,
                actor=office,
                unit=c.organiser,
            )
            for c in campaigns
        ]
    )
    return len(figures)
