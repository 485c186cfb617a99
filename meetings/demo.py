"""Demo meetings for ``make run``: the whole flow of the current year at a glance.

- a plenary (全体会议), held, with attendance and issued minutes (5 decided matters);
- a special meeting (专题会议) convened by the 副组长 on the 组长's delegation, held,
  with two discussed unit topics, attendance and issued minutes (4 decided matters);
- a temporary meeting (临时会议), held, with draft minutes;
- a planned special meeting two weeks ahead, and two topics raised by units
  waiting for the office to put them on an agenda.

Everything goes through ``meetings.services``, so numbers, grants and history are
what the portal would produce. Dates are relative to today. Idempotent: a meeting
whose title exists for the year is left alone.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from members.models import Person, Unit, User

from . import services
from .models import Attendance, Meeting, Topic
from .services import AttendanceRow, DecisionInput, MeetingData


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _units(units: dict[str, Unit], *codes: str) -> list[Unit]:
    return [units[c] for c in codes if c in units]


def _person(name: str) -> Person | None:
    return Person.objects.filter(name=name).first()


def _past(today: date, month: int, day: int, back: int) -> date:
    """A day this year, in the past: the given date, or ``back`` days ago if that
    date has not come yet (early in the year)."""
    wanted = date(today.year, month, day)
    return (
        wanted
        if wanted < today
        else max(date(today.year, 1, 2), today - timedelta(days=back))
    )


def _attend(
    meeting: Meeting,
    office: User,
    absent: dict[str, str | None],
    observers: list[str],
) -> None:
    """The roster, with ``absent`` (name → substitute's name, or None) on leave
    and ``observers`` 列席. The office's staff sit in as 领导小组办公室."""
    rows = services.attendance_roster(meeting)
    for row in rows:
        if row.person.name in absent:
            row.status = Attendance.Status.ABSENT
            substitute = absent[row.person.name]
            row.substitute = _person(substitute) if substitute else None
    for name in observers:
        person = _person(name)
        if person is not None and all(r.person.pk != person.pk for r in rows):
            rows.append(
                AttendanceRow(
                    person=person,
                    status=Attendance.Status.OBSERVER,
                    title_at_meeting=_observer_title(person),
                )
            )
    services.attendance_record(meeting=meeting, rows=rows, by=office)


def _observer_title(person: Person) -> str:
    # "领导小组办公室工作人员" prints as "领导小组办公室 陈静" (meetings.pdf).
    if person.job_title.startswith("领导小组办公室"):
        return "领导小组办公室"
    return person.job_title


def _issue(meeting, office, approver, title, narrative, decisions, units) -> None:
    minutes = services.minutes_draft(
        meeting=meeting,
        by=office,
        title=title,
        narrative=narrative,
        decisions=[
            DecisionInput(text=text, suggested_units=_units(units, *codes))
            for text, codes in decisions
        ],
    )
    services.minutes_submit(minutes=minutes, by=office)
    services.minutes_approve(minutes=minutes, by=approver)
    services.minutes_issue(minutes=minutes, by=office)


def _exists(year: int, title: str) -> bool:
    return Meeting.objects.filter(year=year, title=title).exists()


@transaction.atomic
def load() -> None:
    office = _user("office") or User.objects.filter(role=User.Role.OFFICE).first()
    leader = _user("zuzhang")
    deputy = _user("fuzuzhang")
    if office is None or leader is None or deputy is None:
        return
    today = timezone.localdate()
    year = today.year
    units = {u.code: u for u in Unit.objects.members()}
    host_leader = _person("王建华")
    host_deputy = _person("李志强")
    recorder = _person("陈静")

    # 1. The plenary of the year: held, attendance, issued minutes.
    title = f"{year}年领导小组全体会议"
    if not _exists(year, title):
        day = _past(today, 3, 18, 40)
        meeting = services.meeting_create(
            data=MeetingData(
                kind=Meeting.Kind.PLENARY,
                title=title,
                subject=f"总结{year - 1}年全区知识产权工作，部署{year}年知识产权强区建设重点任务。",
                starts_at=_at(day, 9, 30),
                ends_at=_at(day, 11, 30),
                place="区政府第一会议室",
                host=host_leader,
                recorder=recorder,
            ),
            by=office,
        )
        services.meeting_mark_held(meeting=meeting, by=office)
        _attend(meeting, office, absent={"吕青松": "施琳"}, observers=["陈静", "孙浩"])
        _issue(
            meeting,
            office,
            leader,
            f"{year}年金台区知识产权工作协调领导小组全体会议纪要",
            (
                f"{day.month}月{day.day}日，区政府副区长、领导小组组长王建华在区政府第一会议室主持召开"
                f"{year}年领导小组全体会议。会议听取了领导小组办公室关于{year - 1}年全区知识产权工作情况"
                f"和{year}年工作安排的汇报，区委宣传部、市公安局金台分局、区人民法院作了交流发言。\n\n"
                "会议指出，领导小组成立以来，各成员单位按照职责分工，在知识产权创造、运用、保护、管理和服务"
                "等方面做了大量工作，知识产权联合执法和宣传教育取得了实效，企业知识产权意识明显增强。\n\n"
                "会议强调，各成员单位要主动研究知识产权战略实施中的有关问题，认真落实领导小组确定的工作任务"
                "和议定事项，及时处理需要跨部门协同解决的问题，形成工作合力。领导小组办公室要加强督查督办，"
                "定期向各成员单位通报工作进展。"
            ),
            [
                (
                    f"由区市场监管局牵头，会同各成员单位制定《{year}年金台区知识产权强区建设工作计划》，"
                    "6月底前印发实施。",
                    ("scjgj",),
                ),
                (
                    "由区委宣传部牵头，会同区市场监管局、区教体局、区文旅局组织开展“4·26”知识产权宣传周活动，"
                    "推动知识产权宣传进企业、进校园、进社区。",
                    ("xcb", "scjgj", "jtj", "wlj"),
                ),
                (
                    "由区市场监管局、市公安局金台分局会同区文旅局、区农业农村局开展知识产权联合执法行动，"
                    "重点查处商标侵权、假冒专利和侵犯植物新品种权等违法行为。",
                    ("scjgj", "gaj", "wlj", "nyncj"),
                ),
                (
                    "由区财政局统筹安排区级知识产权专项资金，区市场监管局会同区工信局完善专利资助和奖励办法，"
                    "支持企业培育高价值专利。",
                    ("czj", "scjgj", "gxj"),
                ),
                (
                    "由区人民法院会同区司法局总结知识产权审判经验，发布典型案例，推进知识产权纠纷多元化解。",
                    ("fy", "sfj"),
                ),
            ],
            units,
        )

    # 2. A special meeting, convened by the deputy on the leader's delegation.
    title = f"{year}年知识产权保护专题会议"
    if not _exists(year, title):
        day = _past(today, 9, 16, 12)
        raised = [
            services.topic_raise(
                unit=units["sfj"],
                by=_user("liaison_sfj") or office,
                title="建立知识产权纠纷人民调解与司法确认衔接机制",
                description="知识产权纠纷调解协议缺少司法确认渠道，需区人民法院、区市场监管局协同建立衔接机制。",
                related_units=_units(units, "fy", "scjgj"),
            ),
            services.topic_raise(
                unit=units["swj"],
                by=_user("liaison_swj") or office,
                title="企业参加境外展会知识产权风险应对",
                description="部分外贸企业参加境外展会时遭遇知识产权投诉，需区司法局提供涉外法律服务支持。",
                related_units=_units(units, "sfj"),
            ),
        ]
        meeting = services.meeting_create(
            data=MeetingData(
                kind=Meeting.Kind.SPECIAL,
                title=title,
                subject="研究知识产权联合执法和涉外知识产权纠纷应对工作。",
                starts_at=_at(day, 15, 0),
                ends_at=_at(day, 17, 0),
                place="区市场监管局三楼会议室",
                convener=Meeting.Convener.DEPUTY,
                delegation_note="组长王建华会前书面委托副组长李志强召集并主持。",
                host=host_deputy,
                recorder=recorder,
                units=_units(units, "scjgj", "gaj", "sfj", "swj", "wlj"),
            ),
            by=office,
        )
        for topic, presenter in zip(
            raised, ["区司法局 蒋平", "区商务局 许建国"], strict=True
        ):
            services.topic_schedule(
                topic=topic, meeting=meeting, presenter=presenter, by=office
            )
        services.meeting_mark_held(meeting=meeting, by=office)
        # Convened by the deputy on delegation: the 组长 is on leave, not present.
        _attend(
            meeting,
            office,
            absent={"王建华": None, "张海燕": "孔德明"},
            observers=["陈静"],
        )
        _issue(
            meeting,
            office,
            deputy,
            f"{year}年金台区知识产权保护专题会议纪要",
            (
                f"{day.month}月{day.day}日，受组长委托，领导小组副组长、区市场监管局局长李志强主持召开知识产权"
                "保护专题会议，研究知识产权联合执法和涉外知识产权纠纷应对工作。区司法局、区商务局分别汇报了"
                "提请会议协调的议题，市公安局金台分局、区文旅局作了发言。\n\n"
                "会议认为，当前侵权行为向电商直播、展会等新领域延伸，涉外知识产权纠纷增多，需要各部门加强"
                "协作，形成执法、司法和法律服务的合力。"
            ),
            [
                (
                    "由区市场监管局牵头，会同市公安局金台分局、区文旅局在第四季度开展知识产权保护“铁拳”专项行动，"
                    "重点检查商贸市场、电商直播和文化市场。",
                    ("scjgj", "gaj", "wlj"),
                ),
                (
                    "由区商务局会同区司法局建立涉外知识产权纠纷应对指导机制，对参加境内外展会的企业开展风险提示和"
                    "法律服务。",
                    ("swj", "sfj"),
                ),
                (
                    "由区司法局牵头，依托公共法律服务中心设立知识产权法律服务工作站，建设知识产权涉外法律服务人才库。",
                    ("sfj", "swj"),
                ),
                (
                    "由市公安局金台分局加强与区市场监管局的案件线索移送和会商衔接，对涉嫌犯罪的侵犯知识产权案件"
                    "及时立案侦查。",
                    ("gaj", "scjgj"),
                ),
            ],
            units,
        )

    # 3. A temporary meeting whose minutes are still a draft.
    title = f"{year}年知识产权专项资金使用临时会议"
    if not _exists(year, title):
        day = _past(today, 11, 20, 5)
        meeting = services.meeting_create(
            data=MeetingData(
                kind=Meeting.Kind.TEMPORARY,
                title=title,
                subject="研究知识产权专项资金拨付进度和绩效评价。",
                starts_at=_at(day, 10, 0),
                ends_at=_at(day, 11, 0),
                place="区财政局二楼会议室",
                host=host_leader,
                recorder=recorder,
                units=_units(units, "czj", "scjgj", "gxj"),
            ),
            by=office,
        )
        services.meeting_mark_held(meeting=meeting, by=office)
        _attend(meeting, office, absent={}, observers=["陈静"])
        services.minutes_draft(
            meeting=meeting,
            by=office,
            title=f"{year}年知识产权专项资金使用临时会议纪要",
            narrative=(
                f"{day.month}月{day.day}日，区政府副区长、领导小组组长王建华主持召开临时会议，听取区财政局关于"
                "知识产权专项资金拨付情况的汇报，研究资金绩效评价工作。"
            ),
            decisions=[
                DecisionInput(
                    text="由区财政局会同区市场监管局在12月15日前完成本年度专利资助资金拨付。",
                    suggested_units=_units(units, "czj", "scjgj"),
                ),
                DecisionInput(
                    text="由区工信局会同区财政局对获得资助的企业开展绩效评价，形成评价报告。",
                    suggested_units=_units(units, "gxj", "czj"),
                ),
            ],
        )

    # 4. A planned meeting ahead, and topics waiting for the office.
    ahead = today + timedelta(days=14)
    title = f"{ahead.year}年地理标志与植物新品种保护专题会议"
    if not _exists(ahead.year, title):
        services.meeting_create(
            data=MeetingData(
                kind=Meeting.Kind.SPECIAL,
                title=title,
                subject="研究地理标志农产品保护和林业植物新品种保护工作。",
                starts_at=_at(ahead, 9, 0),
                ends_at=_at(ahead, 11, 0),
                place="区政府第三会议室",
                host=host_leader,
                recorder=recorder,
                units=_units(units, "nyncj", "lyj", "scjgj"),
            ),
            by=office,
        )
        for unit, username, topic_title, description, related in [
            (
                "nyncj",
                "liaison_nyncj",
                "地理标志农产品保护与品牌培育",
                "我区地理标志农产品存在冒用标志、包装不规范等问题，需区市场监管局、区林业局协同监管和培育品牌。",
                ("scjgj", "lyj"),
            ),
            (
                "jtj",
                "liaison_jtj",
                "中小学知识产权教育示范学校创建经费保障",
                "创建知识产权教育示范学校需要课程开发和师资培训经费，请区财政局、区市场监管局予以支持。",
                ("czj", "scjgj"),
            ),
        ]:
            if not Topic.objects.filter(title=topic_title).exists():
                services.topic_raise(
                    unit=units[unit],
                    by=_user(username) or office,
                    title=topic_title,
                    description=description,
                    related_units=_units(units, *related),
                )
