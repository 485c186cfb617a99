"""Demo campaigns for ``make run`` (after the tasks demo, through the services):

- the demo year's 4·26 知识产权宣传周: 区委宣传部 leads six units, every unit's
  figures complete, two typical cases; the office has drafted the summary, so it
  can issue the 宣传活动总结 in the browser;
- a joint enforcement action (“铁拳”) in progress, reported in three periods: in
  the second period 区农业农村局 is late, and 区商务局's first report was returned.

Dates are relative to today. Idempotent: a campaign whose name exists is left alone.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from duties.models import DutyClause
from members.models import Unit, User

from . import reports, services
from .models import Campaign, CampaignEvent, Indicator, ReportingPeriod, UnitReport

PUBLICITY_UNITS = ["xcb", "scjgj", "nyncj", "swj", "wlj", "fy"]
ENFORCEMENT_UNITS = ["scjgj", "gaj", "wlj", "nyncj", "swj"]

# per unit: 开展活动, 参与群众, 发放宣传资料, 媒体报道, 新媒体阅读量, 培训场次, 培训人次
PUBLICITY_FIGURES = {
    "xcb": [6, 3200, 8000, 12, 56000, 2, 180],
    "scjgj": [9, 4100, 12500, 8, 23000, 4, 360],
    "nyncj": [3, 900, 2600, 2, 4100, 1, 60],
    "swj": [2, 650, 1800, 1, 3300, 2, 120],
    "wlj": [5, 2600, 5400, 4, 15800, 1, 90],
    "fy": [4, 1200, 3000, 6, 21000, 3, 240],
}
PUBLICITY_NARRATIVE = {
    "xcb": "统筹全区宣传周活动，在区融媒体中心开设“知识产权宣传周”专栏，组织集中宣传日活动。",
    "scjgj": "在金台广场举办4·26集中宣传咨询活动，走进商场、企业开展知识产权保护宣传和培训。",
    "nyncj": "围绕地理标志农产品和植物新品种保护，深入合作社、种植大户开展宣传。",
    "swj": "面向外贸和电商企业开展海外知识产权纠纷应对宣讲。",
    "wlj": "在文化市场、景区开展版权保护宣传，发放正版化倡议书。",
    "fy": "发布年度知识产权司法保护典型案例，开展“法院开放日”活动。",
}
# per unit and period: 出动执法人员, 检查经营主体, 立案, 结案, 罚没款, 查扣商品, 移送, 涉案金额
ENFORCEMENT_FIGURES = {
    "scjgj": [
        [120, 260, 6, 3, "12.5", 1500, 1, "38.6"],
        [96, 210, 4, 5, "8.2", 820, 0, "21.3"],
    ],
    "gaj": [[45, 30, 2, 1, "0", 600, 2, "56"], [38, 22, 1, 1, "0", 300, 1, "20"]],
    "wlj": [[30, 80, 1, 1, "1.2", 260, 0, "3.5"], [26, 64, 2, 1, "0.8", 120, 0, "2.1"]],
    "nyncj": [[18, 45, 1, 0, "0.6", 80, 0, "1.8"]],
    "swj": [[12, 36, 2, 1, "0.5", 40, 0, "2"], [10, 30, 0, 1, "0.3", 25, 0, "0.9"]],
}


def _user(username: str) -> User | None:
    return User.objects.filter(username=username, is_active=True).first()


def _liaison(unit: Unit) -> User | None:
    return (
        _user(f"liaison_{unit.code}")
        or User.objects.filter(
            unit=unit, role__in=[User.Role.LIAISON, User.Role.UNIT_HEAD], is_active=True
        ).first()
    )


def _joint(units: list[Unit]) -> list[DutyClause]:
    return list(DutyClause.objects.filter(unit__in=units, is_joint=True))


def _values(campaign: Campaign, numbers: list) -> dict[int, Decimal]:
    links = list(campaign.indicator_links.select_related("indicator"))
    return {
        link.indicator_id: Decimal(str(n))
        for link, n in zip(links, numbers, strict=True)
    }


def _at(day: date, hour: int = 16) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _file(campaign, period, unit, numbers, narrative, cases=()) -> UnitReport | None:
    by = _liaison(unit)
    if by is None:
        return None
    report = reports.report_file(
        campaign=campaign,
        period=period,
        by=by,
        version=0,
        narrative=narrative,
        values=_values(campaign, numbers),
        cases=[reports.CaseInput(*case) for case in cases],
    )
    # filed a day before its deadline (or today, for a period just ended)
    when = _at(min(period.due_on - timedelta(days=1), timezone.localdate()))
    UnitReport.objects.filter(pk=report.pk).update(submitted_at=when)
    CampaignEvent.objects.filter(
        campaign=campaign, unit=unit, note__startswith=period.label
    ).update(created_at=when)
    return report


@transaction.atomic
def load() -> None:
    office = _user("office") or User.objects.filter(role=User.Role.OFFICE).first()
    if office is None or not Indicator.objects.exists():
        return
    units = {u.code: u for u in Unit.objects.members()}
    if not all(code in units for code in PUBLICITY_UNITS + ENFORCEMENT_UNITS):
        return
    today = timezone.localdate()
    _publicity_week(office, units, today)
    _enforcement(office, units, today)


def _publicity_week(office: User, units: dict, today: date) -> None:
    year = today.year if today >= date(today.year, 4, 30) else today.year - 1
    name = f"{year}年“4·26”知识产权宣传周活动"
    if Campaign.objects.filter(name=name).exists():
        return
    members = [units[c] for c in PUBLICITY_UNITS]
    campaign = services.campaign_create(
        kind=Campaign.Kind.PUBLICITY,
        name=name,
        start_on=date(year, 4, 20),
        end_on=date(year, 4, 26),
        schedule=Campaign.Schedule.END,
        organiser=units["xcb"],
        units=members,
        duties=_joint(members),
        description=(
            "围绕“全面加强知识产权保护 推动新质生产力发展”主题，各成员单位在宣传周期间"
            "集中开展知识产权宣传、培训和咨询活动。"
        ),
        by=office,
    )
    campaign = services.campaign_advance(
        campaign=campaign, by=office, to=Campaign.Status.ACTIVE
    )
    period = campaign.periods.get()
    cases = {
        "scjgj": [
            (
                "金台广场4·26集中宣传咨询活动",
                "联合区委宣传部、区人民法院等单位设立咨询台12个，现场解答商标、专利、"
                "地理标志咨询200余人次，发放宣传资料3000余份。",
                None,
                None,
            )
        ],
        "fy": [
            (
                "发布知识产权司法保护典型案例",
                "区人民法院召开新闻发布会，发布5件知识产权司法保护典型案例，涉及商标侵权、"
                "著作权侵权和不正当竞争。",
                Decimal("126.5"),
                None,
            )
        ],
    }
    for code in PUBLICITY_UNITS:
        _file(
            campaign,
            period,
            units[code],
            PUBLICITY_FIGURES[code],
            PUBLICITY_NARRATIVE[code],
            cases.get(code, ()),
        )
    campaign = services.campaign_advance(
        campaign=campaign, by=office, to=Campaign.Status.SUMMARISING
    )
    services.campaign_summary_edit(
        campaign=campaign,
        by=office,
        version=campaign.edit_version,
        summary=(
            "一、活动开展情况\n"
            "宣传周期间，各成员单位按照领导小组办公室的统一部署，聚焦知识产权保护主题，"
            "采取线上线下相结合的方式集中开展宣传活动。\n"
            "二、主要成效\n"
            "通过集中宣传、进企业、进市场、进校园等活动，社会公众知识产权保护意识进一步增强，"
            "尊重知识、崇尚创新、诚信守法的氛围更加浓厚。\n"
            "三、下一步工作\n"
            "各成员单位要总结宣传周经验，把知识产权宣传融入日常工作，形成常态化宣传机制。"
        ),
    )
    Campaign.objects.filter(pk=campaign.pk).update(
        created_at=_at(date(year, 4, 10), 10)
    )
    CampaignEvent.objects.filter(
        campaign=campaign, kind=CampaignEvent.Kind.CREATED
    ).update(created_at=_at(date(year, 4, 10), 10))
    CampaignEvent.objects.filter(
        campaign=campaign, kind=CampaignEvent.Kind.STARTED
    ).update(created_at=_at(date(year, 4, 20), 9))
    CampaignEvent.objects.filter(
        campaign=campaign,
        kind__in=[CampaignEvent.Kind.SUMMARISING, CampaignEvent.Kind.EDITED],
    ).update(created_at=_at(date(year, 5, 6), 10))


def _enforcement(office: User, units: dict, today: date) -> None:
    name = f"{today.year}年知识产权执法“铁拳”联合行动"
    if Campaign.objects.filter(name=name).exists():
        return
    members = [units[c] for c in ENFORCEMENT_UNITS]
    start = today - timedelta(days=45)
    first_end, second_end = today - timedelta(days=31), today - timedelta(days=8)
    campaign = services.campaign_create(
        kind=Campaign.Kind.ENFORCEMENT,
        name=name,
        start_on=start,
        end_on=today + timedelta(days=40),
        schedule=Campaign.Schedule.DATES,
        dates=[first_end, second_end],
        organiser=units["scjgj"],
        units=members,
        duties=_joint(members),
        description=(
            "聚焦食品、药品、农资、日用消费品等重点领域和重点市场，联合开展侵权假冒商品"
            "专项整治，依法查处商标侵权、假冒专利和侵犯地理标志违法行为。"
        ),
        by=office,
    )
    campaign = services.campaign_advance(
        campaign=campaign, by=office, to=Campaign.Status.ACTIVE
    )
    for kind, day in (
        (CampaignEvent.Kind.CREATED, start - timedelta(days=5)),
        (CampaignEvent.Kind.STARTED, start),
    ):
        CampaignEvent.objects.filter(campaign=campaign, kind=kind).update(
            created_at=_at(day, 9)
        )
    Campaign.objects.filter(pk=campaign.pk).update(
        created_at=_at(start - timedelta(days=5), 9)
    )
    periods = list(ReportingPeriod.objects.filter(campaign=campaign).order_by("number"))
    first, second = periods[0], periods[1]
    case = (
        "查处某商贸公司销售侵犯注册商标专用权白酒案",
        "执法人员根据举报对某商贸公司检查，现场查扣涉嫌侵犯注册商标专用权的白酒"
        "420瓶，经权利人鉴定为侵权商品，依法没收并处罚款。",
        Decimal("8.6"),
        Decimal("5.2"),
    )
    returned = None
    for code in ENFORCEMENT_UNITS:
        for n, numbers in enumerate(ENFORCEMENT_FIGURES[code]):
            period = (first, second)[n]
            report = _file(
                campaign,
                period,
                units[code],
                numbers,
                f"{units[code].name}按照行动方案开展执法检查，本期检查情况见统计数据。",
                [case] if code == "scjgj" and n == 0 else (),
            )
            if code == "swj" and n == 0:
                returned = report
    # 区农业农村局 reports the first period only: late for the second
    if returned is not None:
        organiser_people = _liaison(units["scjgj"])
        reports.report_return(
            report=returned,
            by=organiser_people or office,
            reason="立案 2 件、结案 1 件与所附案件清单不一致，请核实后重新报送。",
        )
