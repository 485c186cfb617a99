"""A small fixed dataset for the dashboard and bulletins, built with plain ORM calls.

The day is fixed at TODAY = Monday 2025-09-29, just before the National Day
holiday (2025-10-01 … 10-08, with Saturday 10-11 a working day): five working days
after it end on 2025-10-13, not 10-06, so a task due 10-10 is yellow.

Tasks of 2025 (work plan 2025 unless said otherwise), A = 区司法局, B = 区财政局,
O = 区林业局:

- T1  A  due 09-10, closed 09-10 23:30 (local)          → on time
- T2  A  due 09-01, extension approved 09-05 (after the deadline) to 09-20,
         closed 09-18                                   → on time (deadline moved)
- T3  A  co B, due 09-15, closure requested then returned, open → open overdue 14 d
- T4  A  due 09-20, closed 09-25 00:30 (local; 09-24 in UTC) → closed late 5 d
- T5  B  co A, due 10-10, recent activity               → yellow (holiday window)
- T6  B  due 10-20, from the 2025 special meeting M      → green
- T7  B  due 11-30, no activity since 08-01, 20 %        → yellow (lagging)
- T8  O  due 09-28, pending extension                    → open overdue 1 d
- T9  A  work plan 2024, due 2024-12-31, closed 2025-01-05 → closed late 5 d (2024)

Figures for 2025 (hand-computed):
- A: led 4, closed 3, on time 2, closed late 1, open overdue 1, rate 75 %,
  average days late (5 + 14) / 2 = 9.5, co-handled 1 (T5)
- B: led 3, closed 0, rate 0 %, no overdue, co-handled 1 (T3)
- O: led 1, open overdue 1, rate 0 %, average 1.0
- all: led 8, closed 3, on time 2, overdue 3, rate 37.5 %, average 20/3 = 6.7,
  lights red 2 (T3, T8), yellow 2 (T5, T7), green 1 (T6), grey 3
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from duties.models import DutyClause
from meetings.models import Decision, Meeting, Minutes
from members.grants import set_unit_grants
from members.models import LeadingGroup, Unit, User
from tasks.models import (
    CoUnit,
    Extension,
    ProgressReport,
    Task,
    TaskEvent,
    WorkPlan,
)

TODAY = date(2025, 9, 29)
TZ = ZoneInfo("Asia/Shanghai")


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


def d(month: int, day: int, year: int = 2025) -> date:
    return date(year, month, day)


def plan(by: User, year: int) -> WorkPlan:
    return WorkPlan.objects.create(
        group=LeadingGroup.objects.get(),
        year=year,
        title=f"{year}年知识产权强区建设工作计划",
        created_by=by,
    )


def meeting_decision(
    by: User, year: int, *, kind: str = Meeting.Kind.SPECIAL, sequence: int = 1
) -> Decision:
    meeting = Meeting.objects.create(
        group=LeadingGroup.objects.get(),
        kind=kind,
        year=year,
        sequence=sequence,
        title=f"{year}年第{sequence}次{Meeting.CODE_LABELS[kind]}会议",
        starts_at=at(d(3, 10, year)),
        place="区政府第三会议室",
        status=Meeting.Status.HELD,
        created_by=by,
    )
    minutes = Minutes.objects.create(
        meeting=meeting,
        title=f"{meeting.title}纪要",
        narrative="会议研究了知识产权保护工作。",
        drafted_by=by,
        status=Minutes.Status.ISSUED,
    )
    return Decision.objects.create(minutes=minutes, number=1, text="推进联合执法")


def task(
    code: str,
    *,
    by: User,
    lead: Unit,
    due: date,
    source: WorkPlan | Decision,
    co: list[Unit] | tuple = (),
    original_due: date | None = None,
    status: str = Task.Status.IN_PROGRESS,
    closed_at: datetime | None = None,
    progress: int = 50,
    last_activity: datetime | None = None,
    created: datetime | None = None,
    duties: list[DutyClause] | tuple = (),
) -> Task:
    source_kw = (
        {"plan": source} if isinstance(source, WorkPlan) else {"decision": source}
    )
    t = Task.objects.create(
        code=code,
        title=f"任务{code}",
        description=f"任务{code}的内容。",
        lead_unit=lead,
        original_due_on=original_due or due,
        due_on=due,
        status=status,
        progress=100 if status == Task.Status.CLOSED else progress,
        closed_at=closed_at,
        closed_by=by if closed_at else None,
        last_activity_at=last_activity or closed_at or at(TODAY - timedelta(days=3)),
        created_by=by,
        **source_kw,
    )
    for unit in co:
        CoUnit.objects.create(task=t, unit=unit)
    if duties:
        t.duties.set(duties)
    Task.objects.filter(pk=t.pk).update(created_at=created or at(d(8, 1)))
    grants = {lead: ["tasks.view_task", "tasks.report_task", "tasks.lead_task"]}
    for unit in co:
        grants[unit] = ["tasks.view_task", "tasks.report_task"]
    set_unit_grants(t, grants)
    return t


def report(t: Task, unit: Unit, author: User, when: datetime, text: str) -> None:
    r = ProgressReport.objects.create(
        task=t,
        unit=unit,
        author=author,
        text=text,
        percent=50,
        is_lead_report=unit.pk == t.lead_unit_id,
    )
    ProgressReport.objects.filter(pk=r.pk).update(created_at=when)


@dataclass
class Dataset:
    tasks: dict[str, Task]
    meeting: Meeting
    unit_a: Unit
    unit_b: Unit
    unit_o: Unit


def build(cast) -> Dataset:
    """The fixed dataset described in the module docstring."""
    office = cast.office
    a, b, o = cast.unit_a, cast.unit_b, cast.unit_out
    closed = Task.Status.CLOSED
    p25, p24 = plan(office, 2025), plan(office, 2024)
    decision = meeting_decision(office, 2025)
    plenary = meeting_decision(office, 2025, kind=Meeting.Kind.PLENARY, sequence=1)
    a_clauses = list(DutyClause.objects.filter(unit=a).order_by("number"))
    t: dict[str, Task] = {}
    t["T1"] = task(
        "T1",
        by=office,
        lead=a,
        due=d(9, 10),
        source=p25,
        status=closed,
        closed_at=at(d(9, 10), 23, 30),
        duties=a_clauses[:1],
    )
    t["T2"] = task(
        "T2",
        by=office,
        lead=a,
        due=d(9, 20),
        original_due=d(9, 1),
        source=p25,
        status=closed,
        closed_at=at(d(9, 18)),
    )
    ext = Extension.objects.create(
        task=t["T2"],
        unit=a,
        requested_by=cast.liaison_a,
        reason="需协调的相关单位较多",
        old_due_on=d(9, 1),
        new_due_on=d(9, 20),
        status=Extension.Status.APPROVED,
        decided_by=cast.leader,
        decided_at=at(d(9, 5)),
    )
    Extension.objects.filter(pk=ext.pk).update(created_at=at(d(8, 30)))
    t["T3"] = task(
        "T3",
        by=office,
        lead=a,
        co=[b],
        due=d(9, 15),
        source=p25,
        status=Task.Status.RETURNED,
        progress=80,
    )
    TaskEvent.objects.create(
        task=t["T3"], kind=TaskEvent.Kind.CLOSURE_REQUESTED, actor=cast.liaison_a
    )
    TaskEvent.objects.create(
        task=t["T3"],
        kind=TaskEvent.Kind.RETURNED,
        actor=office,
        unit=a,
        note="退回销号申请：佐证材料不全",
    )
    Task.objects.filter(pk=t["T3"].pk).update(return_reason="佐证材料不全")
    t["T4"] = task(
        "T4",
        by=office,
        lead=a,
        due=d(9, 20),
        source=p25,
        status=closed,
        closed_at=at(d(9, 25), 0, 30),
    )
    t["T5"] = task("T5", by=office, lead=b, co=[a], due=d(10, 10), source=p25)
    t["T6"] = task("T6", by=office, lead=b, due=d(10, 20), source=decision)
    t["T7"] = task(
        "T7",
        by=office,
        lead=b,
        due=d(11, 30),
        source=p25,
        progress=20,
        last_activity=at(d(8, 1)),
    )
    t["T8"] = task("T8", by=office, lead=o, due=d(9, 28), source=p25)
    Extension.objects.create(
        task=t["T8"],
        unit=o,
        requested_by=cast.outsider,
        reason="等待上级批复",
        old_due_on=d(9, 28),
        new_due_on=d(10, 31),
    )
    t["T9"] = task(
        "T9",
        by=office,
        lead=a,
        due=d(12, 31, 2024),
        source=p24,
        status=closed,
        closed_at=at(d(1, 5)),
        created=at(d(6, 1, 2024)),
        duties=a_clauses[1:2],
    )
    # Progress reports during September 2025 (lead reports unless said otherwise).
    report(t["T1"], a, cast.liaison_a, at(d(9, 5)), "已完成法律文件审查。")
    report(t["T2"], a, cast.liaison_a, at(d(9, 15)), "正在收尾。")
    report(t["T3"], b, cast.liaison_b, at(d(9, 10)), "配合部分已完成。")
    report(t["T3"], a, cast.liaison_a, at(d(9, 16)), "已补充佐证材料，正在重新整理。")
    report(t["T4"], a, cast.liaison_a, at(d(9, 10)), "按计划推进。")
    report(t["T5"], b, cast.liaison_b, at(d(9, 20)), "资金已拨付一半。")
    # A 2024 task resting on A's second clause, reported on in 2025 (coverage).
    report(t["T9"], a, cast.liaison_a, at(d(1, 3)), "年度总结已报送。")
    assert plenary.minutes.meeting.kind == Meeting.Kind.PLENARY
    return Dataset(
        tasks=t, meeting=decision.minutes.meeting, unit_a=a, unit_b=b, unit_o=o
    )


def bulk_tasks(cast, n: int, *, start: int = 0) -> None:
    """``n`` more tasks of today's year in varied states (for query counts); unit A
    co-handles every one, so its filtered lists are never empty."""
    office = cast.office
    today = timezone.localdate()
    wp = WorkPlan.objects.filter(year=today.year).first() or plan(office, today.year)
    units = list(Unit.objects.members())
    for i in range(start, start + n):
        lead = units[i % len(units)]
        co = list(
            {u.pk: u for u in (units[(i + 1) % len(units)], cast.unit_a)}.values()
        )
        co = [u for u in co if u != lead]
        closed = i % 3 == 0
        t = task(
            f"Q{i}",
            by=office,
            lead=lead,
            co=co,
            due=today + timedelta(days=(i % 7) * 5 - 10),
            source=wp,
            status=Task.Status.CLOSED if closed else Task.Status.IN_PROGRESS,
            closed_at=timezone.now() - timedelta(days=i % 4) if closed else None,
            created=timezone.now() - timedelta(days=40),
        )
        report(t, lead, office, timezone.now() - timedelta(days=i % 20), f"进展{i}")
