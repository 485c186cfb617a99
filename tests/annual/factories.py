"""Builders for annual tests: a round through the services, filled submissions."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from annual import services
from annual.models import Round, Submission, default_sections
from meetings.models import Meeting
from tests.meetings.factories import meeting as make_meeting

YEAR = 2026


def plenary(by, *, days: int = 40) -> Meeting:
    return make_meeting(
        by, kind=Meeting.Kind.PLENARY, held=False, days=days, title="全体会议"
    )


def open_round(
    by,
    *,
    year: int = YEAR,
    requires_head_approval: bool = False,
    meeting: Meeting | None = None,
    deadline: date | None = None,
) -> Round:
    return services.round_open(
        year=year,
        title="",
        deadline=deadline or timezone.localdate() + timedelta(days=20),
        requires_head_approval=requires_head_approval,
        instructions="请按提纲填写。",
        sections=default_sections(),
        meeting=meeting,
        by=by,
    )


def fill(
    submission: Submission,
    by,
    *,
    plan: int = 2,
    coordination: int = 0,
    text: str = "本年度开展了知识产权宣传和执法工作。",
) -> Submission:
    year = submission.round.year + 1
    return services.submission_save(
        submission=submission,
        by=by,
        version=submission.edit_version,
        texts={"s1": text, "s3": "专业人员不足。"},
        duty_notes={
            k: v or "按职责开展工作。" for k, v in submission.duty_notes.items()
        }
        or {},
        plan_items=[
            {"text": f"{submission.unit.name}工作打算{i}", "due_on": date(year, 6, i)}
            for i in range(1, plan + 1)
        ],
        coordination_items=[
            {"title": f"{submission.unit.name}需协调事项{i}", "description": "请协调。"}
            for i in range(1, coordination + 1)
        ],
    )


def submit(submission: Submission, by, **kwargs) -> Submission:
    submission = fill(submission, by, **kwargs)
    return services.submission_submit(
        submission=submission, by=by, version=submission.edit_version
    )


def sub(round_: Round, unit) -> Submission:
    return Submission.objects.select_related("round", "unit").get(
        round=round_, unit=unit
    )
