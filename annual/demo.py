"""Demo data for ``make run``: the demo year's reporting round and the plenary
with its pack.

- the round of the current year, due in eight working days, approved by unit
  heads before it reaches the office: 9 units submitted, 2 drafting (区林业局,
  区文旅局), 1 returned by the office (区商务局);
- next year's plenary (全体会议), planned for mid-January, with a unit's
  coordination item on its agenda;
- the meeting pack drafted from the data and rendered once (kept as a file).

Everything goes through ``annual.services``. Idempotent: a year that has its
round is left alone.
"""

from __future__ import annotations

from datetime import date, datetime, time

from django.db import transaction
from django.utils import timezone

from duties.models import DutyClause
from jinwei_ip.lib.workdays import add_workdays
from meetings import services as meeting_services
from meetings.models import Meeting
from meetings.services import MeetingData
from members.models import Person, Unit, User

from . import services, services_pack
from .models import Round, Submission, default_sections

DRAFTING = ("lyj", "wlj")
DUE_DAYS = (date(2000, 6, 30), date(2000, 9, 30), date(2000, 12, 31))
RETURNED = "swj"
COORDINATION = {
    "scjgj": [
        (
            "建立知识产权纠纷快速处理联动机制",
            "专利侵权纠纷行政裁决与诉讼衔接不畅，需区人民法院、区司法局协同建立诉调对接机制。",
        )
    ],
    "gaj": [
        (
            "涉知识产权犯罪线索移送标准统一",
            "行政执法与刑事司法衔接中线索移送标准不一，请领导小组协调区市场监管局、区文旅局统一移送标准。",
        )
    ],
}


def _user(username: str) -> User | None:
    return User.objects.filter(username=username, is_active=True).first()


def _texts(unit: Unit, year: int) -> dict[str, str]:
    done = (
        f"{year}年，{unit.name}认真贯彻落实领导小组各项部署，将知识产权工作纳入本单位年度重点工作，"
        f"明确分管领导和联络员，建立工作台账，按月调度推进。\n"
        f"一是强化组织领导，召开专题会议{3 + unit.order % 3}次，研究部署知识产权相关工作；"
        f"二是狠抓任务落实，按时签收领导小组交办的督办任务，逐项明确责任科室和完成时限；"
        f"三是加强协作配合，积极参与联合执法行动和知识产权宣传周等大型宣传活动。\n"
        f"全年共开展各类知识产权工作{10 + unit.order * 2}项，相关做法在全区工作通报中得到肯定。"
    )
    problems = (
        "一是部分基层工作人员知识产权专业知识不足，业务能力有待提升；"
        "二是与相关部门的信息共享还不够及时，协作机制需进一步完善；"
        "三是宣传形式较为单一，覆盖面有待扩大。"
    )
    return {"s1": done, "s3": problems}


def _plan_items(unit: Unit, clauses: list[DutyClause], year: int) -> list[dict]:
    items = []
    for n, clause in enumerate(clauses[:3], start=1):
        items.append(
            {
                "text": f"围绕“{clause.text[:24].rstrip('，。；')}”，"
                f"制定{year}年度工作方案并组织实施，形成可复制推广的经验做法。",
                "due_on": DUE_DAYS[n - 1].replace(year=year),
                "duties": [clause],
            }
        )
    if not items:
        items.append(
            {
                "text": "配合领导小组办公室做好知识产权强区建设各项工作。",
                "due_on": date(year, 12, 31),
                "duties": [],
            }
        )
    return items


def _plenary(year: int, office: User) -> Meeting:
    title = f"{year}年领导小组全体会议"
    meeting = Meeting.objects.filter(title=title).first()
    if meeting is not None:
        return meeting
    day = date(year, 1, 15)
    starts = timezone.make_aware(datetime.combine(day, time(9, 30)))
    return meeting_services.meeting_create(
        data=MeetingData(
            kind=Meeting.Kind.PLENARY,
            title=title,
            subject=f"总结{year - 1}年全区知识产权工作，审议{year}年知识产权强区建设工作计划。",
            starts_at=starts,
            ends_at=starts.replace(hour=11, minute=30),
            place="区政府第一会议室",
            host=Person.objects.filter(name="王建华").first(),
            recorder=Person.objects.filter(name="陈静").first(),
        ),
        by=office,
    )


@transaction.atomic
def load() -> None:
    office = _user("office")
    if office is None:
        return
    today = timezone.localdate()
    year = today.year
    if Round.objects.filter(year=year).exists():
        return
    meeting = _plenary(year + 1, office)
    round_ = services.round_open(
        year=year,
        title=f"{year}年度工作总结及{year + 1}年工作打算报送",
        deadline=add_workdays(today, 8),
        requires_head_approval=True,
        instructions="请各成员单位对照职责分工，总结本年度工作，提出下年度工作打算，"
        "需提请领导小组协调解决的事项请写明具体情况和建议。",
        sections=default_sections(),
        meeting=meeting,
        by=office,
    )
    clauses: dict[int, list[DutyClause]] = {}
    for clause in DutyClause.objects.order_by("number"):
        clauses.setdefault(clause.unit_id, []).append(clause)
    submissions = round_.submissions.select_related("unit")
    for submission in submissions:
        unit = submission.unit
        liaison = _user(f"liaison_{unit.code}")
        head = _user(f"head_{unit.code}")
        if liaison is None or head is None:
            continue
        if unit.code in DRAFTING:
            # a draft begun: the first section written, not yet submitted
            services.submission_save(
                submission=submission,
                by=liaison,
                version=submission.edit_version,
                texts={"s1": _texts(unit, year)["s1"].split("\n")[0]},
                duty_notes=submission.duty_notes,
                plan_items=[],
                coordination_items=[],
            )
            continue
        saved = services.submission_save(
            submission=submission,
            by=liaison,
            version=submission.edit_version,
            texts=_texts(unit, year),
            duty_notes={
                key: note or "按照职责分工开展相关工作，完成年度目标任务。"
                for key, note in submission.duty_notes.items()
            },
            plan_items=_plan_items(unit, clauses.get(unit.pk, []), year + 1),
            coordination_items=[
                {"title": title, "description": description}
                for title, description in COORDINATION.get(unit.code, [])
            ],
        )
        saved = services.submission_submit(
            submission=saved, by=liaison, version=saved.edit_version
        )
        saved = services.submission_approve(submission=saved, by=head)
        if unit.code == RETURNED:
            services.submission_return(
                submission=saved,
                by=office,
                reason="职责分工落实情况过于笼统，请逐条补充具体工作量和成效数据。",
            )
    first = (
        Submission.objects.filter(
            round=round_, status=Submission.Status.SUBMITTED, unit__code="scjgj"
        )
        .prefetch_related("coordination_items")
        .first()
    )
    if first is not None:
        for item in first.coordination_items.all():
            services.coordination_to_topic(item=item, by=office)
    pack = services_pack.pack_create(round_=round_, by=office)
    services_pack.pack_pdf(pack)
