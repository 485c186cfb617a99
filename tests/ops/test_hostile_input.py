"""Hostile and careless input across every form of the portal, as a table.

Each row sends one request as one of the fixed cast and says what must follow:

- ``REFUSED``: the answer is no server error, the person is told (a message on
  the page, a field error, or the portal's own 400/403/404/405 page), and no row
  of the portal's tables is written or changed;
- ``STORED``: what was sent is stored whole (``check`` reads it back);
- ``HARMLESS``: a list or filter given junk answers a page and writes nothing.

Plain test client, the fixed cast of tests/cast.py, no browser: the whole table
runs in seconds and stays in the suite so the property stays true.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from meetings import services as meeting_services
from meetings.models import Attendance, Decision, Meeting, Minutes, SuggestedUnit, Topic
from members.models import Membership, Person, Position, Unit, User
from notices.models import Notification
from oversight import services as bulletins
from oversight.models import Bulletin
from tasks import extensions as task_extensions
from tasks import services as task_services
from tasks.models import (
    CoUnit,
    Extension,
    ProgressReport,
    Task,
    TaskEvent,
    WorkdayOverride,
    WorkPlan,
)
from tests.meetings import factories as mf
from tests.tasks.factories import issued_decisions, make_task, work_plan

pytestmark = pytest.mark.django_db

REFUSED, STORED, HARMLESS = "refused", "stored", "harmless"

RLO = "\u202e"  # right-to-left override
LRI = "\u2066"
ZWSP = "\u200b"
BEL = "\x07"
EMOJI = "\U0001f600"
FAR = "9999-12-31"
OLD = "1900-01-01"

WATCHED = [
    Meeting,
    Topic,
    Attendance,
    Minutes,
    Decision,
    SuggestedUnit,
    Task,
    CoUnit,
    ProgressReport,
    Extension,
    TaskEvent,
    Notification,
    Bulletin,
    WorkPlan,
    WorkdayOverride,
    Membership,
    Person,
    Unit,
]


def snapshot() -> dict[str, list[dict]]:
    return {m.__name__: list(m.objects.order_by("pk").values()) for m in WATCHED}


def soon(days: int = 30) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


class World:
    """The objects a row needs, made on first use (each test has its own)."""

    def __init__(self) -> None:
        users = {u.username: u for u in User.objects.all()}
        self.office = users["office"]
        self.leader = users["leader"]
        self.liaison_a = users["liaison_a"]
        units = {u.code: u for u in Unit.objects.all()}
        self.unit_a, self.unit_b, self.unit_out = (
            units["sfj"],
            units["czj"],
            units["lyj"],
        )

    @cached_property
    def held(self) -> Meeting:
        return mf.meeting(self.office, units=[self.unit_a, self.unit_b])

    @cached_property
    def planned(self) -> Meeting:
        return mf.meeting(self.office, units=[self.unit_a], held=False, days=5)

    @cached_property
    def draft(self) -> Minutes:
        return mf.draft(mf.meeting(self.office, units=[self.unit_a]), self.office)

    @cached_property
    def submitted(self) -> Minutes:
        minutes = mf.draft(mf.meeting(self.office, units=[self.unit_a]), self.office)
        return meeting_services.minutes_submit(minutes=minutes, by=self.office)

    @cached_property
    def issued(self) -> Minutes:
        minutes = mf.draft(mf.meeting(self.office, units=[self.unit_a]), self.office)
        return mf.advance(minutes, office=self.office, leader=self.leader, to="issued")

    @cached_property
    def decision(self) -> Decision:
        return issued_decisions(self.office, ["开展知识产权宣传周活动"])[0]

    @cached_property
    def task(self) -> Task:
        task = make_task(by=self.office, lead=self.unit_a, co=[self.unit_b])
        task_services.task_sign(task=task, by=self.liaison_a)
        task.refresh_from_db()
        return task

    @cached_property
    def ready(self) -> Task:
        task = make_task(by=self.office, lead=self.unit_a)
        task_services.task_sign(task=task, by=self.liaison_a)
        task_services.progress_report_file(
            task=task, by=self.liaison_a, text="已完成。", percent=100, files=[]
        )
        task.refresh_from_db()
        return task

    @cached_property
    def requested(self) -> Task:
        task = self.ready
        task_services.closure_request(task=task, by=self.liaison_a)
        task.refresh_from_db()
        return task

    @cached_property
    def report(self) -> ProgressReport:
        return self.ready.reports.get()

    @cached_property
    def extension(self) -> Extension:
        task = self.task
        return task_extensions.extension_request(
            task=task,
            by=self.liaison_a,
            reason="需要协调",
            new_due_on=task.due_on + timedelta(days=30),
        )

    @cached_property
    def topic(self) -> Topic:
        return meeting_services.topic_raise(
            unit=self.unit_a, by=self.liaison_a, title="纠纷调解衔接"
        )

    @cached_property
    def bulletin(self) -> Bulletin:
        return bulletins.bulletin_draft(
            period=Bulletin.Period.MONTH, year=2025, index=9, by=self.office
        )

    @cached_property
    def plan(self) -> WorkPlan:
        return work_plan(self.office, year=2026)

    @cached_property
    def position(self) -> Position:
        return Position.objects.get(kind=Position.Kind.MEMBER, unit=self.unit_a)

    @cached_property
    def person(self) -> Person:
        return Person.objects.get(name="蒋平")


@dataclass
class Case:
    id: str
    who: str | None
    method: str
    url: Callable[[World], str]
    data: Callable[[World], dict] = lambda w: {}
    expect: str = REFUSED
    check: Callable[[World], bool] | None = None
    extra: dict = field(default_factory=dict)


def U(name: str, attr: str | None = None) -> Callable[[World], str]:
    """A URL by name, with the pk of a world object when ``attr`` is given."""

    def build(w: World) -> str:
        if attr is None:
            return reverse(name)
        obj = w
        for part in attr.split("."):
            obj = getattr(obj, part)
        return reverse(name, args=[obj.pk])

    return build


# --- form data builders ---------------------------------------------------------


def meeting_data(**over) -> Callable[[World], dict]:
    def build(w: World) -> dict:
        return {
            "kind": Meeting.Kind.SPECIAL,
            "title": "知识产权保护专题会议",
            "starts_at": "2027-01-05T09:00",
            "place": "区政府第三会议室",
            "convener": Meeting.Convener.LEADER,
            "units": [w.unit_a.pk],
            **over,
        }

    return build


def attendance_data(rows: list[dict], **management) -> Callable[[World], dict]:
    def build(w: World) -> dict:
        data = {
            "att-TOTAL_FORMS": str(len(rows)),
            "att-INITIAL_FORMS": "0",
            "att-MIN_NUM_FORMS": "0",
            "att-MAX_NUM_FORMS": "1000",
        }
        for i, row in enumerate(rows):
            values = {
                "person": w.person.pk,
                "title_at_meeting": "",
                "status": "present",
                "substitute": "",
                "note": "",
                **row,
            }
            for key, value in values.items():
                data[f"att-{i}-{key}"] = value(w) if callable(value) else value
        data.update(management)
        return data

    return build


def minutes_data(
    decisions: list[dict] | None = None, **over
) -> Callable[[World], dict]:
    decisions = decisions if decisions is not None else [{"text": "开展联合执法"}]

    def build(w: World) -> dict:
        data = {
            "title": "专题会议纪要",
            "narrative": "会议研究了知识产权保护工作。",
            "dec-TOTAL_FORMS": str(len(decisions)),
            "dec-INITIAL_FORMS": "0",
            "dec-MIN_NUM_FORMS": "0",
            "dec-MAX_NUM_FORMS": "1000",
        }
        for i, d in enumerate(decisions):
            row = {"id": "", "text": "", "units_text": "", "ORDER": str(i + 1), **d}
            for key, value in row.items():
                data[f"dec-{i}-{key}"] = value
        data.update(over)
        return data

    return build


def assign_data(**over) -> Callable[[World], dict]:
    def build(w: World) -> dict:
        return {
            "title": "开展知识产权宣传周活动",
            "description": "组织宣传周活动。",
            "lead": w.unit_a.pk,
            "due": soon(),
            **{k: v(w) if callable(v) else v for k, v in over.items()},
        }

    return build


def edit_data(**over) -> Callable[[World], dict]:
    def build(w: World) -> dict:
        return {
            "title": "开展知识产权联合执法行动",
            "description": "形成工作报告。",
            "version": w.task.edit_version,
            **over,
        }

    return build


def reassign_data(**over) -> Callable[[World], dict]:
    def build(w: World) -> dict:
        return {
            "lead": w.unit_a.pk,
            "co_units": [w.unit_b.pk],
            "due": soon(60),
            "version": w.task.edit_version,
            **{k: v(w) if callable(v) else v for k, v in over.items()},
        }

    return build


def bulletin_edit_data(**over) -> Callable[[World], dict]:
    def build(w: World) -> dict:
        return {
            "title": "2025年9月工作通报",
            "narrative": "一、总体情况\n\n本月各单位推进有序。",
            "version": w.bulletin.edit_version,
            **over,
        }

    return build


def const(data: dict) -> Callable[[World], dict]:
    return lambda w: data


LONG_TITLE = "题" * 201
T200 = "题" * 200


CASES: list[Case] = [
    # --- login (anonymous) -------------------------------------------------------
    *[
        Case(f"login-{name}", None, "post", U("login"), const(data))
        for name, data in {
            "username-256": {"username": "a" * 256, "password": "x"},
            "username-5000": {"username": "a" * 5000, "password": "x"},
            "username-nul": {"username": "office\x00", "password": "x"},
            "username-bidi": {"username": RLO + "office", "password": "x"},
            "empty": {"username": "", "password": ""},
            "password-5000": {"username": "office", "password": "p" * 5000},
            "wrong-types": {"username": ["a", "b"], "password": ["x"]},
        }.items()
    ],
    # --- meetings ------------------------------------------------------------------
    Case("meeting-empty", "office", "post", U("meetings:create"), const({})),
    *[
        Case(
            f"meeting-{name}",
            "office",
            "post",
            U("meetings:create"),
            meeting_data(**over),
        )
        for name, over in {
            "title-201": {"title": LONG_TITLE},
            "title-bidi": {"title": f"专题{RLO}会议"},
            "title-emoji": {"title": f"专题会议{EMOJI}"},
            "title-blank": {"title": "   "},
            "place-201": {"place": "地" * 201},
            "place-control": {"place": f"会议室{BEL}"},
            "subject-zwsp": {"subject": f"主题{ZWSP}"},
            "starts-9999": {"starts_at": f"{FAR}T09:00"},
            "starts-1900": {"starts_at": f"{OLD}T09:00"},
            "starts-garbage": {"starts_at": "明天上午"},
            "starts-year-10000": {"starts_at": "10000-01-01T09:00"},
            "ends-before-start": {"ends_at": "2027-01-05T08:00"},
            "ends-9999": {"ends_at": f"{FAR}T09:00"},
            "kind-bogus": {"kind": "secret"},
            "convener-bogus": {"convener": "mayor"},
            "deputy-without-note": {"convener": Meeting.Convener.DEPUTY},
            "host-not-a-number": {"host": "abc"},
            "host-unknown": {"host": "999999"},
            "units-not-a-number": {"units": ["abc"]},
            "partial-without-reason": {"kind": Meeting.Kind.PARTIAL},
            "delegation-301": {
                "convener": Meeting.Convener.DEPUTY,
                "delegation_note": "托" * 301,
            },
        }.items()
    ],
    Case(
        "meeting-edit-starts-9999",
        "office",
        "post",
        U("meetings:edit", "planned"),
        meeting_data(starts_at=f"{FAR}T09:00"),
    ),
    Case(
        "meeting-edit-title-bidi",
        "office",
        "post",
        U("meetings:edit", "planned"),
        meeting_data(title=f"会议{LRI}x"),
    ),
    Case(
        "meeting-title-200-stored",
        "office",
        "post",
        U("meetings:create"),
        meeting_data(title=T200),
        expect=STORED,
        check=lambda w: Meeting.objects.filter(title=T200).exists(),
    ),
    # --- topics and agenda -----------------------------------------------------------
    Case("topic-empty", "liaison_a", "post", U("meetings:topic_create"), const({})),
    *[
        Case(f"topic-{name}", "liaison_a", "post", U("meetings:topic_create"), const(d))
        for name, d in {
            "title-201": {"title": LONG_TITLE, "description": "说明"},
            "title-bidi": {"title": f"议题{RLO}", "description": "说明"},
            "description-emoji": {"title": "议题", "description": f"说明{EMOJI}"},
            "related-bogus": {
                "title": "议题",
                "description": "说明",
                "related_units": ["x"],
            },
        }.items()
    ],
    Case(
        "topic-decline-empty",
        "office",
        "post",
        U("meetings:topic_decline", "topic"),
        const({"reason": ""}),
    ),
    Case(
        "topic-decline-bidi",
        "office",
        "post",
        U("meetings:topic_decline", "topic"),
        const({"reason": f"理由{RLO}"}),
    ),
    Case(
        "agenda-topic-not-a-number",
        "office",
        "post",
        U("meetings:agenda_add", "planned"),
        const({"topic": "abc", "presenter": ""}),
    ),
    Case(
        "agenda-presenter-61",
        "office",
        "post",
        U("meetings:agenda_add", "planned"),
        lambda w: {"topic": w.topic.pk, "presenter": "人" * 61},
    ),
    Case(
        "agenda-presenter-bidi",
        "office",
        "post",
        U("meetings:agenda_add", "planned"),
        lambda w: {"topic": w.topic.pk, "presenter": f"区司法局{RLO}蒋平"},
    ),
    # --- attendance -------------------------------------------------------------------
    Case(
        "attendance-total-100000",
        "office",
        "post",
        U("meetings:attendance", "held"),
        attendance_data([{}], **{"att-TOTAL_FORMS": "100000"}),
    ),
    Case(
        "attendance-total-not-a-number",
        "office",
        "post",
        U("meetings:attendance", "held"),
        attendance_data([{}], **{"att-TOTAL_FORMS": "abc"}),
    ),
    Case(
        "attendance-initial-huge",
        "office",
        "post",
        U("meetings:attendance", "held"),
        attendance_data([{}], **{"att-INITIAL_FORMS": "5000"}),
    ),
    Case(
        "attendance-no-management",
        "office",
        "post",
        U("meetings:attendance", "held"),
        const({"att-0-person": "1"}),
    ),
    *[
        Case(
            f"attendance-{name}",
            "office",
            "post",
            U("meetings:attendance", "held"),
            attendance_data(rows),
        )
        for name, rows in {
            "person-not-a-number": [{"person": "abc"}],
            "person-unknown": [{"person": "999999"}],
            "status-bogus": [{"status": "asleep"}],
            "status-empty": [{"status": ""}],
            "note-201": [{"note": "备" * 201}],
            "note-bidi": [{"note": f"备注{RLO}"}],
            "title-101": [{"title_at_meeting": "职" * 101}],
            "title-emoji": [{"title_at_meeting": f"局长{EMOJI}"}],
            "same-person-twice": [{}, {}],
            "substitute-when-present": [{"substitute": lambda w: w.office.person_id}],
        }.items()
    ],
    Case(
        "attendance-note-200-stored",
        "office",
        "post",
        U("meetings:attendance", "held"),
        attendance_data([{"note": "备" * 200, "status": "absent"}]),
        expect=STORED,
        check=lambda w: Attendance.objects.filter(
            meeting=w.held, note="备" * 200
        ).exists(),
    ),
    # --- minutes and decided matters -----------------------------------------------------
    *[
        Case(
            f"minutes-{name}",
            "office",
            "post",
            U("meetings:minutes_create", "held"),
            data,
        )
        for name, data in {
            "empty": const({}),
            "title-201": minutes_data(title=LONG_TITLE),
            "title-bidi": minutes_data(title=f"纪要{RLO}"),
            "narrative-empty": minutes_data(narrative=""),
            "narrative-control": minutes_data(narrative=f"正文{BEL}"),
            "narrative-emoji": minutes_data(narrative=f"正文{EMOJI}"),
            "decision-emoji": minutes_data([{"text": f"事项{EMOJI}"}]),
            "decision-bidi": minutes_data([{"text": f"事项{LRI}"}]),
            "decision-units-unknown": minutes_data(
                [{"text": "事项", "units_text": "区宇宙局"}]
            ),
            "decision-units-301": minutes_data(
                [{"text": "事项", "units_text": "区司法局、" * 61}]
            ),
            "decision-units-without-text": minutes_data(
                [{"text": "", "units_text": "区司法局"}]
            ),
            "decision-order-not-a-number": minutes_data(
                [{"text": "事项", "ORDER": "first"}]
            ),
            "decision-id-not-a-number": minutes_data([{"text": "事项", "id": "abc"}]),
            "decisions-total-100000": minutes_data(**{"dec-TOTAL_FORMS": "100000"}),
            "decisions-total-negative": minutes_data(**{"dec-TOTAL_FORMS": "-1"}),
        }.items()
    ],
    Case(
        "minutes-long-decision-stored",
        "office",
        "post",
        U("meetings:minutes_create", "held"),
        minutes_data([{"text": "长" * 10000}]),
        expect=STORED,
        check=lambda w: Decision.objects.filter(
            minutes__meeting=w.held, text="长" * 10000
        ).exists(),
    ),
    Case(
        "minutes-edit-title-201",
        "office",
        "post",
        U("meetings:minutes_edit", "draft"),
        minutes_data(title=LONG_TITLE, edit_version="1"),
    ),
    Case(
        "minutes-edit-version-tampered",
        "office",
        "post",
        U("meetings:minutes_edit", "draft"),
        minutes_data(edit_version="abc"),
    ),
    Case(
        "minutes-return-empty-reason",
        "leader",
        "post",
        U("meetings:minutes_return", "submitted"),
        const({"reason": ""}),
    ),
    Case(
        "minutes-correct-bidi-reason",
        "office",
        "post",
        U("meetings:minutes_correct", "issued"),
        const({"reason": f"更正{RLO}"}),
    ),
    # --- tasks: assignment, edit, reassign -------------------------------------------------
    Case(
        "assign-empty",
        "office",
        "post",
        U("tasks:create_from_decision", "decision"),
        const({}),
    ),
    *[
        Case(
            f"assign-{name}",
            "office",
            "post",
            U("tasks:create_from_decision", "decision"),
            assign_data(**over),
        )
        for name, over in {
            "title-201": {"title": LONG_TITLE},
            "title-emoji": {"title": f"任务{EMOJI}"},
            "description-bidi": {"description": f"内容{RLO}"},
            "description-empty": {"description": ""},
            "due-9999": {"due": FAR},
            "due-1900": {"due": OLD},
            "due-garbage": {"due": "六月底"},
            "due-yesterday": {"due": (date.today() - timedelta(days=1)).isoformat()},
            "lead-not-a-number": {"lead": "abc"},
            "lead-unknown": {"lead": "999999"},
            "lead-also-co": {"co_units": lambda w: [w.unit_a.pk]},
            "duty-of-another-unit": {
                "duties": lambda w: [w.unit_out.duties.first().pk]
            },
        }.items()
    ],
    Case(
        "edit-title-201",
        "office",
        "post",
        U("tasks:edit", "task"),
        edit_data(title=LONG_TITLE),
    ),
    Case(
        "edit-version-tampered",
        "office",
        "post",
        U("tasks:edit", "task"),
        edit_data(version="abc"),
    ),
    Case(
        "edit-version-stale",
        "office",
        "post",
        U("tasks:edit", "task"),
        edit_data(version="999"),
    ),
    Case(
        "edit-description-emoji",
        "office",
        "post",
        U("tasks:edit", "task"),
        edit_data(description=f"内容{EMOJI}"),
    ),
    *[
        Case(
            f"reassign-{name}",
            "office",
            "post",
            U("tasks:reassign", "task"),
            reassign_data(**over),
        )
        for name, over in {
            "due-9999": {"due": FAR},
            "due-1900": {"due": OLD},
            "version-tampered": {"version": "abc"},
            "lead-not-a-number": {"lead": "abc"},
            "co-not-a-number": {"co_units": ["x"]},
        }.items()
    ],
    # --- tasks: reports and unit actions ------------------------------------------------------
    *[
        Case(f"report-{name}", "liaison_a", "post", U("tasks:report", "task"), const(d))
        for name, d in {
            "percent-101": {"text": "进展", "percent": "101"},
            "percent-negative": {"text": "进展", "percent": "-1"},
            "percent-text": {"text": "进展", "percent": "一半"},
            "percent-huge": {"text": "进展", "percent": "9" * 30},
            "text-empty": {"text": "", "percent": "50"},
            "text-bidi": {"text": f"进展{RLO}", "percent": "50"},
            "text-emoji": {"text": f"进展{EMOJI}", "percent": "50"},
        }.items()
    ],
    Case(
        "report-file-name-250",
        "liaison_a",
        "post",
        U("tasks:report", "task"),
        lambda w: {
            "text": "进展",
            "percent": "50",
            "files": SimpleUploadedFile(
                "证" * 250 + ".pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"
            ),
        },
    ),
    Case(
        "report-file-renamed-html",
        "liaison_a",
        "post",
        U("tasks:report", "task"),
        lambda w: {
            "text": "进展",
            "percent": "50",
            "files": SimpleUploadedFile(
                "报告.pdf", b"<html></html>", "application/pdf"
            ),
        },
    ),
    Case(
        "report-long-text-stored",
        "liaison_a",
        "post",
        U("tasks:report", "task"),
        const({"text": "进\t展\n" * 3000, "percent": "40"}),
        expect=STORED,
        check=lambda w: w.task.reports.filter(
            text=("进\t展\n" * 3000).strip()
        ).exists(),
    ),
    Case(
        "report-edit-version-tampered",
        "liaison_a",
        "post",
        U("tasks:report_edit", "report"),
        const({"text": "改", "percent": "100", "version": "abc"}),
    ),
    Case(
        "report-edit-percent-150",
        "liaison_a",
        "post",
        U("tasks:report_edit", "report"),
        lambda w: {"text": "改", "percent": "150", "version": w.report.edit_version},
    ),
    Case(
        "closure-note-2001",
        "liaison_a",
        "post",
        U("tasks:closure", "ready"),
        const({"note": "说" * 2001}),
    ),
    Case(
        "closure-note-bidi",
        "liaison_a",
        "post",
        U("tasks:closure", "ready"),
        const({"note": f"已完成{RLO}"}),
    ),
    Case(
        "closure-note-2000-stored",
        "liaison_a",
        "post",
        U("tasks:closure", "ready"),
        const({"note": "说" * 2000}),
        expect=STORED,
        check=lambda w: w.ready.events.filter(note="说" * 2000).exists(),
    ),
    Case(
        "close-note-2001",
        "office",
        "post",
        U("tasks:close", "requested"),
        const({"note": "销" * 2001}),
    ),
    Case(
        "return-reason-2001",
        "office",
        "post",
        U("tasks:return", "requested"),
        const({"reason": "退" * 2001}),
    ),
    Case(
        "return-reason-empty",
        "office",
        "post",
        U("tasks:return", "requested"),
        const({"reason": ""}),
    ),
    Case(
        "return-report-not-a-number",
        "office",
        "post",
        U("tasks:return", "requested"),
        const({"reason": "请补充", "report": "abc"}),
    ),
    Case(
        "waive-note-501",
        "office",
        "post",
        U("tasks:waive", "task"),
        lambda w: {"unit": w.unit_b.pk, "note": "免" * 501},
    ),
    Case(
        "waive-unit-not-a-number",
        "office",
        "post",
        U("tasks:waive", "task"),
        const({"unit": "abc", "note": ""}),
    ),
    *[
        Case(
            f"extension-{name}",
            "liaison_a",
            "post",
            U("tasks:extension", "task"),
            const(d),
        )
        for name, d in {
            "due-9999": {"new_due_on": FAR, "reason": "需要协调"},
            "due-1900": {"new_due_on": OLD, "reason": "需要协调"},
            "due-garbage": {"new_due_on": "下个月", "reason": "需要协调"},
            "reason-2001": {"new_due_on": soon(90), "reason": "因" * 2001},
            "reason-empty": {"new_due_on": soon(90), "reason": ""},
            "reason-bidi": {"new_due_on": soon(90), "reason": f"因{RLO}"},
        }.items()
    ],
    Case(
        "extension-decide-bogus",
        "leader",
        "post",
        U("tasks:extension_decide", "extension"),
        const({"approve": "maybe", "note": ""}),
    ),
    Case(
        "extension-decide-note-1001",
        "leader",
        "post",
        U("tasks:extension_decide", "extension"),
        const({"approve": "1", "note": "意" * 1001}),
    ),
    # --- plans, workdays, positions ---------------------------------------------------------
    *[
        Case(f"plan-{name}", "office", "post", U("tasks:plan_create"), const(d))
        for name, d in {
            "year-1900": {"year": "1900", "title": "计划"},
            "year-99999": {"year": "99999", "title": "计划"},
            "year-text": {"year": "明年", "title": "计划"},
            "title-201": {"year": "2027", "title": LONG_TITLE},
            "title-bidi": {"year": "2027", "title": f"计划{RLO}"},
            "empty": {},
        }.items()
    ],
    *[
        Case(f"workday-{name}", "office", "post", U("tasks:workdays"), const(d))
        for name, d in {
            "day-9999": {"day": FAR, "is_workday": "on", "note": "调休"},
            "day-garbage": {"day": "国庆", "is_workday": "on"},
            "note-101": {"day": soon(10), "note": "调" * 101},
            "empty": {},
        }.items()
    ],
    *[
        Case(
            f"position-{name}",
            "office",
            "post",
            U("members:position_assign", "position"),
            d,
        )
        for name, d in {
            "start-9999": lambda w: {"person": w.person.pk, "start_on": FAR},
            "start-1900": lambda w: {"person": w.person.pk, "start_on": OLD},
            "person-not-a-number": const({"person": "abc", "start_on": soon(1)}),
            "note-201": lambda w: {
                "person": w.person.pk,
                "start_on": soon(1),
                "note": "注" * 201,
            },
        }.items()
    ],
    # --- bulletins ------------------------------------------------------------------------
    *[
        Case(
            f"bulletin-new-{name}",
            "office",
            "post",
            U("dashboard:bulletin_new"),
            const(d),
        )
        for name, d in {
            "year-1900": {"period": "month", "year": "1900", "month": "1"},
            "period-bogus": {"period": "decade", "year": "2025"},
            "month-13": {"period": "month", "year": "2025", "month": "13"},
            "quarter-5": {"period": "quarter", "year": "2025", "quarter": "5"},
            "month-missing": {"period": "month", "year": "2025"},
        }.items()
    ],
    *[
        Case(
            f"bulletin-edit-{name}",
            "office",
            "post",
            U("dashboard:bulletin_edit", "bulletin"),
            bulletin_edit_data(**over),
        )
        for name, over in {
            "version-tampered": {"version": "abc"},
            "title-201": {"title": LONG_TITLE},
            "title-bidi": {"title": f"通报{RLO}"},
            "narrative-emoji": {"narrative": f"正文{EMOJI}"},
            "narrative-empty": {"narrative": ""},
        }.items()
    ],
    Case(
        "bulletin-issue-version-tampered",
        "office",
        "post",
        U("dashboard:bulletin_issue", "bulletin"),
        const({"version": "abc"}),
    ),
    # --- password --------------------------------------------------------------------------
    Case(
        "password-wrong-old",
        "liaison_a",
        "post",
        U("password_change"),
        const({"old_password": "x", "new_password1": "a", "new_password2": "b"}),
    ),
    Case(
        "password-overlong",
        "liaison_a",
        "post",
        U("password_change"),
        const(
            {
                "old_password": "p" * 5000,
                "new_password1": "n" * 5000,
                "new_password2": "n" * 5000,
            }
        ),
    ),
    # --- wrong methods ------------------------------------------------------------------------
    *[
        Case(f"get-to-post-only-{name}", who, "get", url)
        for name, who, url in [
            ("task-sign", "liaison_a", U("tasks:sign", "task")),
            ("task-closure", "liaison_a", U("tasks:closure", "ready")),
            ("task-close", "office", U("tasks:close", "requested")),
            ("task-return", "office", U("tasks:return", "requested")),
            ("task-waive", "office", U("tasks:waive", "task")),
            ("meeting-held", "office", U("meetings:mark_held", "planned")),
            ("meeting-cancel", "office", U("meetings:cancel", "planned")),
            ("minutes-submit", "office", U("meetings:minutes_submit", "draft")),
            ("minutes-approve", "leader", U("meetings:minutes_approve", "submitted")),
            ("bulletin-issue", "office", U("dashboard:bulletin_issue", "bulletin")),
            ("notifications-read-all", "office", U("notices:read_all")),
        ]
    ],
    *[
        Case(f"post-to-get-only-{name}", who, "post", url, const({"x": "1"}))
        for name, who, url in [
            ("task-detail", "office", U("tasks:detail", "task")),
            ("meeting-detail", "office", U("meetings:detail", "held")),
            ("minutes-detail", "office", U("meetings:minutes", "draft")),
            ("calendar", "office", U("meetings:calendar")),
            ("bulletin-detail", "office", U("dashboard:bulletin", "bulletin")),
        ]
    ],
    # --- objects of others, bogus choices on small actions --------------------------------------
    Case(
        "sign-task-of-another-unit",
        "outsider",
        "post",
        U("tasks:sign", "task"),
    ),
    Case(
        "notification-of-another-person",
        "liaison_a",
        "post",
        lambda w: reverse(
            "notices:read",
            args=[Notification.objects.create(recipient=w.office, text="给办公室").pk],
        ),
        const({"go": "1"}),
    ),
    Case(
        "topic-move-bogus-direction",
        "office",
        "post",
        lambda w: reverse("meetings:topic_move", args=[w.topic.pk]),
        const({"direction": "sideways"}),
    ),
    Case(
        "bulletin-discard-by-a-unit",
        "liaison_a",
        "post",
        U("dashboard:bulletin_discard", "bulletin"),
    ),
    Case(
        "follow-up-task-tampered",
        "office",
        "post",
        lambda w: reverse("tasks:follow_up", args=[w.held.pk]),
        const({"f-task": "abc", "f-disposition": "continue", "f-note": ""}),
    ),
    # --- lists and filters given junk ----------------------------------------------------------
    *[
        Case(f"filter-{name}", "office", "get", lambda w, u=url: u, expect=HARMLESS)
        for name, url in {
            "tasks-due-9999": "/tasks/?due_from=9999-12-31&due_to=9999-12-31",
            "tasks-due-garbage": "/tasks/?due_from=abc&due_to=%00",
            "tasks-year-text": "/tasks/?year=abc&light=purple&status=zzz",
            "tasks-page-huge": "/tasks/?page=999999999999999999999",
            "tasks-q-5000": "/tasks/?q=" + "查" * 5000,
            "tasks-unit-bogus": "/tasks/?unit=zzz&meeting=abc",
            "tasks-export-junk": "/tasks/export.xlsx?year=abc&due_from=9999-12-31",
            "meetings-year-text": "/meetings/?year=abc&kind=zzz&page=-1",
            "topics-junk": "/meetings/topics/?status=zzz&side=abc&page=x",
            "dashboard-junk": "/dashboard/?year=abc&unit=zzz&meeting=abc",
            "dashboard-figure-junk": "/dashboard/tasks/?figure=zzz&duty=abc&page=x",
            "bulletins-junk": "/dashboard/bulletins/?year=1900&status=zzz&q=" + RLO,
            "duties-junk": "/duties/?unit=zzz&category=abc&q=" + "职" * 3000,
        }.items()
    ],
]


@pytest.fixture
def world() -> World:
    return World()


def _shows_refusal(response) -> bool:
    body = response.content.decode("utf-8", "replace")
    if response.status_code in (400, 403, 404, 405):
        return "返回工作台" in body or "领导小组办公室" in body
    return any(
        marker in body
        for marker in ("alert-danger", "invalid-feedback", 'role="alert"')
    )


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_input(case: Case, world: World) -> None:
    client = Client()
    if case.who is not None:
        client.force_login(User.objects.get(username=case.who))
    url = case.url(world)
    data = case.data(world)
    before = snapshot() if case.expect != STORED else None
    if case.method == "post":
        # a browser always sends the CSRF token: an "empty" form is never an
        # empty POST (the test client does not check the token)
        response = client.post(url, {"csrfmiddlewaretoken": "x", **data}, follow=True)
    else:
        response = client.get(url, data, follow=True)
    assert response.status_code < 500, response.status_code
    if case.expect == REFUSED:
        assert _shows_refusal(response), (
            f"no message for {case.id}: {response.status_code}"
        )
        after = snapshot()
        changed = [name for name in before if before[name] != after[name]]
        assert not changed, f"{case.id} wrote {changed}"
    elif case.expect == STORED:
        assert case.check(world), f"{case.id}: not stored whole"
    else:
        assert response.status_code in (200, 302, 404)
        after = snapshot()
        assert before == after


def test_the_table_is_large() -> None:
    assert len(CASES) >= 100
