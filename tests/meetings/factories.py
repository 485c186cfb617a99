"""Builders for meetings tests: meetings through the services, minutes at any stage."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from meetings import services
from meetings.models import Meeting, Minutes
from meetings.services import AttendanceRow, DecisionInput, MeetingData
from members.models import Person, Unit

_n = {"n": 0}


def meeting(
    by,
    *,
    kind: str = Meeting.Kind.SPECIAL,
    units: list[Unit] | tuple = (),
    held: bool = True,
    days: int = -3,
    title: str | None = None,
    **extra,
) -> Meeting:
    _n["n"] += 1
    data = MeetingData(
        kind=kind,
        title=title or f"测试会议{_n['n']}",
        starts_at=timezone.now() + timedelta(days=days),
        place="区政府第三会议室",
        units=list(units),
        partial_reason="只涉及部分单位" if kind == Meeting.Kind.PARTIAL else "",
        **extra,
    )
    m = services.meeting_create(data=data, by=by)
    if held:
        services.meeting_mark_held(meeting=m, by=by)
    return m


def draft(
    m: Meeting,
    by,
    *,
    decisions: int = 3,
    narrative: str = "会议研究了知识产权保护工作。",
) -> Minutes:
    return services.minutes_draft(
        meeting=m,
        by=by,
        title=f"{m.title}纪要",
        narrative=narrative,
        decisions=[
            DecisionInput(text=f"第{i}项：开展知识产权联合执法行动。")
            for i in range(1, decisions + 1)
        ],
    )


def advance(minutes: Minutes, *, office, leader, to: str) -> Minutes:
    """Move minutes along the lifecycle up to status ``to``."""
    order = [
        Minutes.Status.DRAFT,
        Minutes.Status.SUBMITTED,
        Minutes.Status.APPROVED,
        Minutes.Status.ISSUED,
    ]
    steps = {
        Minutes.Status.SUBMITTED: lambda m: services.minutes_submit(
            minutes=m, by=office
        ),
        Minutes.Status.APPROVED: lambda m: services.minutes_approve(
            minutes=m, by=leader
        ),
        Minutes.Status.ISSUED: lambda m: services.minutes_issue(minutes=m, by=office),
    }
    for status in order[order.index(minutes.status) + 1 : order.index(to) + 1]:
        minutes = steps[status](minutes)
    return minutes


def attend(m: Meeting, by, rows: list[tuple[Person, str]]) -> None:
    services.attendance_record(
        meeting=m,
        rows=[AttendanceRow(person=p, status=s) for p, s in rows],
        by=by,
    )
