"""Hostile and careless input on the forms of the year's work: campaigns (专项行动),
the annual round (年度工作报送, 材料汇编, 工作计划) and the follow-up review of a
meeting (前次会议议定事项落实情况).

The same table as tests/ops/test_hostile_input.py (its cast, world and helpers),
with one more promise per row: the refusal is a Chinese message that names the
field (a field's error beside that field, or a page message naming it), and no
row of the portal's tables — these apps' included — is written or changed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import cached_property

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from annual import services_pack, services_plan
from annual.models import (
    CoordinationItem,
    Pack,
    Plan,
    PlanEntry,
    PlanItem,
    Round,
    Submission,
    SubmissionEvent,
)
from campaigns import services as campaign_services
from campaigns.models import (
    Campaign,
    CampaignEvent,
    Figure,
    Participant,
    ReportingPeriod,
    TypicalCase,
    UnitReport,
)
from jinwei_ip.lib.dates import latest_date
from members.models import User
from tasks.models import FollowUp
from tests.annual.factories import open_round, plenary, sub, submit
from tests.campaigns import factories as cf
from tests.meetings import factories as mf
from tests.ops.test_hostile_input import (
    BEL,
    EMOJI,
    FAR,
    LRI,
    OLD,
    RLO,
    WATCHED,
    ZWSP,
    Case,
    U,
    World,
    _shows_refusal,
    const,
)
from tests.tasks.factories import issued_decisions, make_task

pytestmark = pytest.mark.django_db

YEAR_WATCHED = [
    *WATCHED,
    Campaign,
    Participant,
    ReportingPeriod,
    UnitReport,
    Figure,
    TypicalCase,
    CampaignEvent,
    Round,
    Submission,
    SubmissionEvent,
    PlanItem,
    CoordinationItem,
    Pack,
    Plan,
    PlanEntry,
    FollowUp,
]


def snapshot() -> dict[str, list[dict]]:
    return {m.__name__: list(m.objects.order_by("pk").values()) for m in YEAR_WATCHED}


class YearWorld(World):
    """The hostile-input world with a campaign at each stage, an annual round
    with a submitted unit, its pack and plan, and a meeting reviewing an open
    decided matter of an earlier one."""

    @cached_property
    def preparing(self) -> Campaign:
        return cf.make_campaign(
            by=self.office,
            organiser=self.unit_a,
            units=[self.unit_a, self.unit_b],
            start_it=False,
        )

    @cached_property
    def active(self) -> Campaign:
        return cf.make_campaign(
            by=self.office, organiser=self.unit_a, units=[self.unit_a, self.unit_b]
        )

    @cached_property
    def summarising(self) -> Campaign:
        campaign = cf.make_campaign(
            by=self.office, organiser=self.unit_a, units=[self.unit_a]
        )
        return campaign_services.campaign_advance(
            campaign=campaign, by=self.office, to=Campaign.Status.SUMMARISING
        )

    @cached_property
    def round(self) -> Round:
        round_ = open_round(self.office, meeting=plenary(self.office))
        submit(sub(round_, self.unit_b), User.objects.get(username="liaison_b"))
        return round_

    @cached_property
    def mine(self) -> Submission:
        return sub(self.round, self.unit_a)

    @cached_property
    def pack(self) -> Pack:
        return services_pack.pack_create(round_=self.round, by=self.office)

    @cached_property
    def plan(self) -> Plan:
        return services_plan.plan_create(round_=self.round, by=self.office)

    @cached_property
    def reviewed(self):
        """An open task of an earlier meeting's decided matter."""
        decision = issued_decisions(self.office, ["建立纠纷调解衔接机制"])[0]
        return make_task(by=self.office, lead=self.unit_a, decision=decision)

    @cached_property
    def review(self):
        self.reviewed  # noqa: B018 - the earlier matter exists first
        return mf.meeting(self.office, units=[self.unit_a, self.unit_b], days=-1)


@dataclass
class YCase(Case):
    names: str = ""  # what the message must name (a field's label or the topic)


# --- form data builders ---------------------------------------------------------


def campaign_data(**over) -> Callable[[World], dict]:
    def build(w: World) -> dict:
        start = timezone.localdate() + timedelta(days=7)
        return {
            "kind": Campaign.Kind.ENFORCEMENT,
            "name": "知识产权执法“铁拳”行动",
            "start_on": start.isoformat(),
            "end_on": (start + timedelta(days=27)).isoformat(),
            "schedule": Campaign.Schedule.WEEKLY,
            "dates": "",
            "organiser": w.unit_a.pk,
            "units": [w.unit_a.pk, w.unit_b.pk],
            "description": "开展联合执法检查。",
            **{k: v(w) if callable(v) else v for k, v in over.items()},
        }

    return build


def campaign_edit_data(**over) -> Callable[[World], dict]:
    def build(w: World) -> dict:
        data = campaign_data()(w)
        data["version"] = str(w.preparing.edit_version)
        data.update(over)
        return data

    return build


def _indicator_ids(campaign: Campaign) -> dict[str, int]:
    return {
        link.indicator.code: link.indicator_id
        for link in campaign.indicator_links.select_related("indicator")
    }


def report_data(
    figures: dict[str, str] | None = None,
    cases: list[dict] | None = None,
    **over,
) -> Callable[[World], dict]:
    """The report form of unit A for period 1 of the active campaign; figures by
    indicator code (the rest 0), cases as rows of the case formset."""
    cases = cases or []

    def build(w: World) -> dict:
        ids = _indicator_ids(w.active)
        data = {
            "version": "0",
            "narrative": "本期开展执法检查。",
            "cases-TOTAL_FORMS": str(len(cases)),
            "cases-INITIAL_FORMS": "0",
            "cases-MIN_NUM_FORMS": "0",
            "cases-MAX_NUM_FORMS": "10",
        }
        for code, pk in ids.items():
            data[f"ind_{pk}"] = (figures or {}).get(code, "0")
        for i, case in enumerate(cases):
            row = {"title": "侵犯商标权案", "summary": "查处一起。", **case}
            for key, value in row.items():
                data[f"cases-{i}-{key}"] = value
        data.update(over)
        return data

    return build


def report_url(w: World) -> str:
    return reverse("campaigns:report_file", args=[w.active.pk, 1])


def round_data(**over) -> Callable[[World], dict]:
    def build(w: World) -> dict:
        data = {
            "year": "2027",
            "title": "",
            "deadline": (timezone.localdate() + timedelta(days=30)).isoformat(),
            "requires_head_approval": "on",
            "instructions": "请按提纲填写。",
            "meeting": "",
            "sections-TOTAL_FORMS": "2",
            "sections-INITIAL_FORMS": "0",
            "sections-0-title": "本年度工作开展情况及成效",
            "sections-0-kind": "text",
            "sections-1-title": "下年度工作打算",
            "sections-1-kind": "plan",
        }
        data.update(over)
        return data

    return build


def round_edit_data(**over) -> Callable[[World], dict]:
    return const(
        {
            "deadline": (timezone.localdate() + timedelta(days=40)).isoformat(),
            "requires_head_approval": "on",
            "instructions": "请按提纲填写。",
            "meeting": "",
            **over,
        }
    )


def submission_data(**over) -> Callable[[World], dict]:
    def build(w: World) -> dict:
        submission = w.mine
        data = {
            "version": str(submission.edit_version),
            "text_s1": "开展宣传活动12场。",
            "text_s3": "人员不足。",
            "plan-TOTAL_FORMS": "1",
            "plan-INITIAL_FORMS": "0",
            "plan-0-text": "开展法治宣传进企业活动",
            "plan-0-due_on": f"{w.round.year + 1}-06-30",
            "coord-TOTAL_FORMS": "1",
            "coord-INITIAL_FORMS": "0",
            "coord-0-title": "",
            "coord-0-description": "",
        }
        for key in submission.duty_notes:
            data[f"duty_{key}"] = "按职责开展。"
        for key, value in over.items():
            if key == "duty":  # the first duty clause's note
                key = f"duty_{next(iter(submission.duty_notes))}"
            data[key] = value
        return data

    return build


def pack_data(**over) -> Callable[[World], dict]:
    def build(w: World) -> dict:
        return {
            "title": "领导小组办公室年度工作报告",
            "text": "一、总体情况\n\n各成员单位推进有序。",
            "version": str(w.pack.edit_version),
            **over,
        }

    return build


def plan_data(entry: dict | None = None, **over) -> Callable[[World], dict]:
    def build(w: World) -> dict:
        plan = w.plan
        entries = list(plan.entries.order_by("order"))
        data = {
            "title": plan.title,
            "intro": "总体要求",
            "requirements": "保障措施",
            "version": str(plan.edit_version),
            "entries-TOTAL_FORMS": str(len(entries)),
            "entries-INITIAL_FORMS": str(len(entries)),
        }
        for i, e in enumerate(entries):
            data.update(
                {
                    f"entries-{i}-pk": e.pk,
                    f"entries-{i}-section": e.section,
                    f"entries-{i}-text": e.text,
                    f"entries-{i}-lead": e.lead_id,
                    f"entries-{i}-due_on": e.due_on.isoformat(),
                    f"entries-{i}-ORDER": str(i + 1),
                }
            )
        for key, value in (entry or {}).items():
            data[f"entries-0-{key}"] = value
        data.update(over)
        return data

    return build


def approve_data(**over) -> Callable[[World], dict]:
    def build(w: World) -> dict:
        return {
            "approved_on": timezone.localdate().isoformat(),
            "note": "经领导小组全体会议审议通过。",
            "version": str(w.plan.edit_version),
            **over,
        }

    return build


def follow_data(**over) -> Callable[[World], dict]:
    def build(w: World) -> dict:
        return {
            "f-task": w.reviewed.pk,
            "f-disposition": "continue",
            "f-new_due_on": "",
            "f-note": "下季度通报进展",
            **{k: v(w) if callable(v) else v for k, v in over.items()},
        }

    return build


def follow_url(w: World) -> str:
    return reverse("tasks:follow_up", args=[w.review.pk])


def later() -> str:
    """A year beyond the portal's range."""
    return str(latest_date().year + 1)


# --- the table --------------------------------------------------------------------

CASES: list[YCase] = [
    # --- campaigns: create ----------------------------------------------------------
    *[
        YCase(
            f"campaign-{name}",
            "office",
            "post",
            U("campaigns:create"),
            campaign_data(**over),
            names=names,
        )
        for name, over, names in [
            ("name-121", {"name": "行" * 121}, "名称"),
            ("name-bidi", {"name": f"执法{RLO}行动"}, "名称"),
            ("name-emoji", {"name": f"执法行动{EMOJI}"}, "名称"),
            ("name-blank", {"name": "   "}, "名称"),
            ("description-bidi", {"description": f"内容{LRI}"}, "活动内容"),
            ("description-control", {"description": f"内容{BEL}"}, "活动内容"),
            ("description-20001", {"description": "内" * 20001}, "活动内容"),
            ("start-9999", {"start_on": FAR}, "开始日期"),
            ("start-1900", {"start_on": OLD, "end_on": "1900-02-01"}, "开始日期"),
            ("start-garbage", {"start_on": "下周一"}, "开始日期"),
            ("end-9999", {"end_on": FAR}, "结束日期"),
            ("end-year-10000", {"end_on": "10000-01-01"}, "结束日期"),
            (
                "dates-9999",
                {"schedule": "dates", "end_on": FAR, "dates": FAR},
                "结束日期",
            ),
            (
                "dates-1900",
                {"schedule": "dates", "dates": f"{OLD}\n2022-01-01"},
                "指定报送日期",
            ),
            ("dates-garbage", {"schedule": "dates", "dates": "月底"}, "指定报送日期"),
            ("kind-bogus", {"kind": "secret"}, "类别"),
            ("organiser-not-a-number", {"organiser": "abc"}, "牵头单位"),
        ]
    ],
    # --- campaigns: edit -------------------------------------------------------------
    *[
        YCase(
            f"campaign-edit-{name}",
            "office",
            "post",
            U("campaigns:edit", "preparing"),
            campaign_edit_data(**over),
            names=names,
        )
        for name, over, names in [
            ("name-bidi", {"name": f"行动{RLO}"}, "名称"),
            ("name-121", {"name": "行" * 121}, "名称"),
            ("start-9999", {"start_on": FAR}, "开始日期"),
            ("end-1900", {"start_on": OLD, "end_on": OLD}, "开始日期"),
            ("version-tampered", {"version": "abc"}, "过期"),
        ]
    ],
    # --- campaigns: summary ----------------------------------------------------------
    *[
        YCase(
            f"campaign-summary-{name}",
            "office",
            "post",
            U("campaigns:summary", "summarising"),
            lambda w, over=over: {
                "summary": "一、总体情况\n\n行动取得成效。",
                "version": str(w.summarising.edit_version),
                **over,
            },
            names=names,
        )
        for name, over, names in [
            ("bidi", {"summary": f"总结{RLO}正文"}, "总结正文"),
            ("emoji", {"summary": f"总结{EMOJI}"}, "总结正文"),
            ("20001", {"summary": "总" * 20001}, "总结正文"),
            ("version-tampered", {"version": "abc"}, "隐藏信息"),
        ]
    ],
    # --- campaigns: a unit's report --------------------------------------------------
    *[
        YCase(
            f"report-figure-{name}",
            "liaison_a",
            "post",
            report_url,
            report_data({code: value}),
            names=names,
        )
        for name, code, value, names in [
            ("text", "enf-filed", "很多", "立案"),
            ("nan", "enf-filed", "NaN", "立案"),
            ("infinity", "enf-filed", "Infinity", "立案"),
            ("minus-infinity", "enf-filed", "-inf", "立案"),
            ("1e309", "enf-filed", "1e309", "立案"),
            ("1e999999999", "enf-amount", "1e999999999", "涉案金额"),
            ("huge", "enf-amount", "9" * 40, "涉案金额"),
            ("tiny-exponent", "enf-amount", "1e-999999999", "涉案金额"),
            ("negative", "enf-filed", "-3", "立案"),
            ("fraction-of-integer", "enf-filed", "1.5", "立案"),
            ("three-decimals", "enf-amount", "1.234", "涉案金额"),
            ("decimals-30", "enf-amount", "0." + "1" * 30, "涉案金额"),
            ("empty", "enf-filed", "", "立案"),
            ("bidi", "enf-filed", f"3{RLO}", "立案"),
        ]
    ],
    *[
        YCase(
            f"report-{name}",
            "liaison_a",
            "post",
            report_url,
            data,
            names=names,
        )
        for name, data, names in [
            ("narrative-bidi", report_data(narrative=f"本期{RLO}"), "工作情况"),
            ("narrative-emoji", report_data(narrative=f"本期{EMOJI}"), "工作情况"),
            ("narrative-4001", report_data(narrative="本" * 4001), "工作情况"),
            ("narrative-zwsp", report_data(narrative=f"本期{ZWSP}"), "工作情况"),
            ("version-tampered", report_data(version="abc"), "隐藏信息"),
            ("case-title-121", report_data(cases=[{"title": "案" * 121}]), "案例标题"),
            ("case-title-bidi", report_data(cases=[{"title": f"案{RLO}"}]), "案例标题"),
            (
                "case-summary-emoji",
                report_data(cases=[{"summary": f"案情{EMOJI}"}]),
                "简要案情",
            ),
            (
                "case-summary-2001",
                report_data(cases=[{"summary": "案" * 2001}]),
                "简要案情",
            ),
            ("case-amount-1e309", report_data(cases=[{"amount": "1e309"}]), "涉案金额"),
            ("case-amount-nan", report_data(cases=[{"amount": "NaN"}]), "涉案金额"),
            ("case-amount-negative", report_data(cases=[{"amount": "-1"}]), "涉案金额"),
            (
                "case-amount-decimals",
                report_data(cases=[{"amount": "1.234"}]),
                "涉案金额",
            ),
            ("case-penalty-text", report_data(cases=[{"penalty": "一万"}]), "罚没款"),
            (
                "cases-total-100000",
                report_data(**{"cases-TOTAL_FORMS": "100000"}),
                "典型案例",
            ),
            (
                "cases-total-negative",
                report_data(**{"cases-TOTAL_FORMS": "-1"}),
                "隐藏信息",
            ),
            (
                "cases-total-not-a-number",
                report_data(**{"cases-TOTAL_FORMS": "abc"}),
                "隐藏信息",
            ),
        ]
    ],
    # --- annual: opening and editing a round ------------------------------------------
    *[
        YCase(
            f"round-{name}",
            "office",
            "post",
            U("annual:round_create"),
            round_data(**over),
            names=names,
        )
        for name, over, names in [
            ("year-1900", {"year": "1900"}, "报送年度"),
            ("year-2021", {"year": "2021"}, "报送年度"),
            ("year-beyond", {"year": later()}, "报送年度"),
            ("year-99999", {"year": "99999"}, "报送年度"),
            ("year-text", {"year": "明年"}, "报送年度"),
            ("title-201", {"title": "题" * 201}, "名称"),
            ("title-bidi", {"title": f"报送{RLO}"}, "名称"),
            ("title-emoji", {"title": f"报送{EMOJI}"}, "名称"),
            ("deadline-9999", {"deadline": FAR}, "报送截止日期"),
            ("deadline-1900", {"deadline": OLD}, "报送截止日期"),
            ("instructions-bidi", {"instructions": f"要求{LRI}"}, "报送要求"),
            ("section-title-bidi", {"sections-0-title": f"情况{RLO}"}, "标题"),
            ("section-title-emoji", {"sections-0-title": f"情况{EMOJI}"}, "标题"),
            ("section-title-101", {"sections-0-title": "节" * 101}, "标题"),
            ("section-kind-bogus", {"sections-0-kind": "poem"}, "填写方式"),
            ("sections-total-100000", {"sections-TOTAL_FORMS": "100000"}, "提纲"),
            ("sections-total-negative", {"sections-TOTAL_FORMS": "-1"}, "隐藏信息"),
        ]
    ],
    *[
        YCase(
            f"round-edit-{name}",
            "office",
            "post",
            U("annual:round_edit", "round"),
            round_edit_data(**over),
            names=names,
        )
        for name, over, names in [
            ("deadline-9999", {"deadline": FAR}, "报送截止日期"),
            ("deadline-1900", {"deadline": OLD}, "报送截止日期"),
            ("deadline-garbage", {"deadline": "年底"}, "报送截止日期"),
            ("instructions-emoji", {"instructions": f"要求{EMOJI}"}, "报送要求"),
        ]
    ],
    # --- annual: a unit's submission --------------------------------------------------
    *[
        YCase(
            f"submission-{name}",
            "liaison_a",
            "post",
            U("annual:submission_edit", "mine"),
            submission_data(**over),
            names=names,
        )
        for name, over, names in [
            ("text-bidi", {"text_s1": f"开展{RLO}活动"}, "本年度工作开展情况及成效"),
            ("text-emoji", {"text_s1": f"开展活动{EMOJI}"}, "本年度工作开展情况及成效"),
            ("text-20001", {"text_s1": "开" * 20001}, "本年度工作开展情况及成效"),
            ("duty-note-bidi", {"duty": f"落实{LRI}"}, "1. "),
            ("duty-note-5001", {"duty": "落" * 5001}, "1. "),
            ("plan-text-emoji", {"plan-0-text": f"打算{EMOJI}"}, "工作打算"),
            ("plan-text-control", {"plan-0-text": f"打算{BEL}"}, "工作打算"),
            ("plan-due-9999", {"plan-0-due_on": FAR}, "完成时限"),
            ("plan-due-1900", {"plan-0-due_on": OLD}, "完成时限"),
            ("plan-due-garbage", {"plan-0-due_on": "明年六月"}, "完成时限"),
            ("coord-title-201", {"coord-0-title": "协" * 201}, "事项"),
            ("coord-title-bidi", {"coord-0-title": f"协调{RLO}"}, "事项"),
            (
                "coord-description-emoji",
                {"coord-0-title": "协调", "coord-0-description": f"建议{EMOJI}"},
                "具体情况与建议",
            ),
            ("version-tampered", {"version": "abc"}, "隐藏信息"),
            ("plan-total-100000", {"plan-TOTAL_FORMS": "100000"}, "工作打算"),
            ("coord-total-100000", {"coord-TOTAL_FORMS": "100000"}, "协调"),
            ("plan-total-negative", {"plan-TOTAL_FORMS": "-1"}, "隐藏信息"),
        ]
    ],
    # --- annual: the pack's office report ---------------------------------------------
    *[
        YCase(
            f"pack-{name}",
            "office",
            "post",
            U("annual:pack", "round"),
            pack_data(**over),
            names=names,
        )
        for name, over, names in [
            ("title-201", {"title": "题" * 201}, "工作报告标题"),
            ("title-bidi", {"title": f"报告{RLO}"}, "工作报告标题"),
            ("text-emoji", {"text": f"正文{EMOJI}"}, "工作报告正文"),
            ("text-control", {"text": f"正文{BEL}"}, "工作报告正文"),
            ("text-60001", {"text": "文" * 60001}, "工作报告正文"),
            ("version-tampered", {"version": "abc"}, "隐藏信息"),
        ]
    ],
    # --- annual: next year's plan -----------------------------------------------------
    *[
        YCase(
            f"plan-{name}",
            "office",
            "post",
            U("annual:plan_edit", "round"),
            data,
            names=names,
        )
        for name, data, names in [
            ("title-201", plan_data(title="计" * 201), "计划名称"),
            ("title-bidi", plan_data(title=f"计划{RLO}"), "计划名称"),
            ("intro-emoji", plan_data(intro=f"要求{EMOJI}"), "总体要求"),
            ("requirements-bidi", plan_data(requirements=f"保障{LRI}"), "保障措施"),
            ("entry-text-bidi", plan_data({"text": f"任务{RLO}"}), "工作任务"),
            ("entry-section-61", plan_data({"section": "类" * 61}), "所属类别"),
            ("entry-section-emoji", plan_data({"section": f"类{EMOJI}"}), "所属类别"),
            ("entry-due-9999", plan_data({"due_on": FAR}), "完成时限"),
            ("entry-due-1900", plan_data({"due_on": OLD}), "完成时限"),
            ("entry-lead-not-a-number", plan_data({"lead": "abc"}), "牵头单位"),
            ("version-tampered", plan_data(version="abc"), "隐藏信息"),
            (
                "entries-total-100000",
                plan_data(**{"entries-TOTAL_FORMS": "100000"}),
                "工作任务",
            ),
            (
                "entries-total-negative",
                plan_data(**{"entries-TOTAL_FORMS": "-1"}),
                "隐藏信息",
            ),
        ]
    ],
    *[
        YCase(
            f"plan-approve-{name}",
            "office",
            "post",
            U("annual:plan_approve", "round"),
            approve_data(**over),
            names=names,
        )
        for name, over, names in [
            ("date-1900", {"approved_on": OLD}, "审定日期"),
            ("date-garbage", {"approved_on": "全会当天"}, "审定日期"),
            ("note-301", {"note": "审" * 301}, "审定情况"),
            ("note-bidi", {"note": f"通过{RLO}"}, "审定情况"),
            ("version-tampered", {"version": "abc"}, "隐藏信息"),
        ]
    ],
    # --- follow-up review -------------------------------------------------------------
    *[
        YCase(
            f"follow-up-{name}",
            "office",
            "post",
            follow_url,
            follow_data(**over),
            names=names,
        )
        for name, over, names in [
            ("note-bidi", {"f-note": f"继续{RLO}督办"}, "说明"),
            ("note-emoji", {"f-note": f"继续督办{EMOJI}"}, "说明"),
            ("note-501", {"f-note": "督" * 501}, "说明"),
            (
                "due-9999",
                {"f-disposition": "reschedule", "f-new_due_on": FAR},
                "调整后的时限",
            ),
            (
                "due-1900",
                {"f-disposition": "reschedule", "f-new_due_on": OLD},
                "调整后的时限",
            ),
            (
                "due-garbage",
                {"f-disposition": "reschedule", "f-new_due_on": "下月底"},
                "调整后的时限",
            ),
            ("disposition-bogus", {"f-disposition": "forget"}, "处理意见"),
            ("task-not-in-review", {"f-task": lambda w: w.task.pk}, "任务"),
            ("task-unknown", {"f-task": "999999"}, "任务"),
            ("task-not-a-number", {"f-task": "abc"}, "任务"),
            ("task-negative", {"f-task": "-1"}, "任务"),
        ]
    ],
    # --- wrong methods ----------------------------------------------------------------
    *[
        YCase(f"get-to-post-only-{name}", who, "get", url, names="405")
        for name, who, url in [
            ("campaign-advance", "office", U("campaigns:advance", "preparing")),
            (
                "report-return",
                "office",
                lambda w: reverse("campaigns:report_return", args=[1]),
            ),
            ("round-remind", "office", U("annual:round_remind", "round")),
            ("submission-submit", "liaison_a", U("annual:submission_submit", "mine")),
            ("pack-create", "office", U("annual:pack_create", "round")),
            ("plan-approve", "office", U("annual:plan_approve", "round")),
            ("plan-tasks", "office", U("annual:plan_tasks", "round")),
        ]
    ],
    *[
        YCase(
            f"post-to-get-only-{name}", who, "post", url, const({"x": "1"}), names="405"
        )
        for name, who, url in [
            ("campaign-list", "office", U("campaigns:list")),
            ("campaign-detail", "office", U("campaigns:detail", "active")),
            ("round-list", "office", U("annual:rounds")),
            ("round-detail", "office", U("annual:round", "round")),
            ("submission-detail", "liaison_a", U("annual:submission", "mine")),
            ("plan-docx", "office", U("annual:plan_docx", "round")),
        ]
    ],
]


# --- what the person is told --------------------------------------------------------

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _label(form: forms.BaseForm, name: str) -> str:
    field = form.fields.get(name)
    return str(field.label or "") if field is not None else ""


def told(response) -> list[str]:
    """Every refusal the page shows: each field error prefixed by its field's
    label (it stands beside that field), the forms' and formsets' own errors,
    the page's messages, and for an error page its text."""
    if response.status_code in (400, 403, 404, 405):
        return [f"{response.status_code} {response.content.decode()}"]
    out: list[str] = [str(m) for m in get_messages(response.wsgi_request)]
    contexts = response.context or []
    if hasattr(contexts, "flatten"):
        contexts = [contexts]
    context: dict = {}
    for each in contexts:
        context.update(each.flatten())
    out += [str(m) for m in context.get("messages", [])]

    def form_errors(form: forms.BaseForm) -> None:
        for name, errors in form.errors.items():
            out.extend(f"{_label(form, name)}：{e}" for e in errors)

    values = list(context.values())
    for value in context.values():
        if isinstance(value, list | tuple):  # rows each with their own form
            values += [getattr(item, "form", None) for item in value]
    for value in values:
        if isinstance(value, forms.BaseForm):
            form_errors(value)
        elif isinstance(value, forms.BaseFormSet):
            out.extend(f"{value.prefix}：{e}" for e in value.non_form_errors())
            for form in value.forms:
                form_errors(form)
    return out


@pytest.fixture
def world() -> YearWorld:
    return YearWorld()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_input_year(case: YCase, world: YearWorld) -> None:
    client = Client()
    client.force_login(User.objects.get(username=case.who))
    url = case.url(world)
    data = case.data(world)
    before = snapshot()
    if case.method == "post":
        response = client.post(url, {"csrfmiddlewaretoken": "x", **data}, follow=True)
    else:
        response = client.get(url, data, follow=True)
    assert response.status_code < 500, response.status_code
    assert _shows_refusal(response), f"no message for {case.id}"
    messages = told(response)
    assert any(case.names in m and CHINESE.search(m) for m in messages), (
        f"{case.id}: no Chinese message naming “{case.names}”: {messages}"
    )
    after = snapshot()
    changed = [name for name in before if before[name] != after[name]]
    assert not changed, f"{case.id} wrote {changed}"


def test_the_table_is_large() -> None:
    assert len(CASES) >= 100
