"""The meeting pack (会议材料汇编) as one PDF in the official layout.

Parts, in order: the cover; 目录 with page numbers (CSS ``target-counter``) and
PDF bookmarks (``bookmark-level``); the agenda (the meeting's topics); the
office's annual work report; every submitted unit's report in the founding
document's order of units; the table of open decided matters with lights.
Body, page box and page numbers come from ``templates/pdf/official.css``
(GB/T 9704-2012), fonts embedded by WeasyPrint.

``pack_html`` is cheap (a handful of queries and a template); the services hash
it and render the PDF (``render_pack``) only when the hash changed.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from duties.models import DutyClause
from jinwei_ip.lib.numerals import chinese_numeral
from jinwei_ip.lib.pdf import font_context, html_to_pdf_pages, official_date
from meetings.models import Topic
from tasks.models import CoUnit, Task

from .models import Pack, PlanItem, SectionKind, Submission
from .report import paragraphs


def _submission_parts(pack: Pack) -> list[dict]:
    round_ = pack.round
    submissions = list(
        round_.submissions.filter(status=Submission.Status.SUBMITTED)
        .select_related("unit")
        .prefetch_related(
            Prefetch(
                "plan_items",
                PlanItem.objects.prefetch_related(
                    Prefetch("duties", DutyClause.objects.select_related("unit"))
                ),
            ),
            "coordination_items",
        )
        .order_by("unit__order", "unit_id")
    )
    clauses: dict[int, list[DutyClause]] = {}
    for clause in DutyClause.objects.filter(
        unit__in=[s.unit_id for s in submissions]
    ).order_by("number"):
        clauses.setdefault(clause.unit_id, []).append(clause)
    parts = []
    for submission in submissions:
        sections = []
        for n, section in enumerate(round_.sections, start=1):
            heading = f"{chinese_numeral(n)}、{section['title']}"
            kind = section["kind"]
            block: dict = {"heading": heading, "kind": kind}
            if kind == SectionKind.TEXT:
                block["paragraphs"] = [
                    line.strip()
                    for line in (submission.texts.get(section["key"]) or "").split("\n")
                    if line.strip()
                ]
            elif kind == SectionKind.DUTIES:
                block["duties"] = [
                    {
                        "numeral": chinese_numeral(i),
                        "clause": clause,
                        "note": submission.duty_notes.get(str(clause.pk), "")
                        or _("（未填写）"),
                    }
                    for i, clause in enumerate(clauses.get(submission.unit_id, []), 1)
                ]
            elif kind == SectionKind.PLAN:
                block["items"] = list(submission.plan_items.all())
            else:
                block["items"] = list(submission.coordination_items.all())
            sections.append(block)
        parts.append(
            {
                "id": f"unit-{submission.unit.code}",
                "unit": submission.unit,
                "title": _("%(unit)s%(y)d年度工作总结")
                % {"unit": submission.unit.name, "y": round_.year},
                "sections": sections,
            }
        )
    return parts


def open_matters(today) -> list[Task]:
    """Open tasks from decided matters, by meeting and code, with their lights."""
    return list(
        Task.objects.open()
        .filter(decision__isnull=False)
        .with_light(today)
        .select_related("lead_unit", "decision__minutes__meeting")
        .prefetch_related(
            Prefetch("co_unit_links", CoUnit.objects.select_related("unit"))
        )
        .order_by("decision__minutes__meeting__starts_at", "code")
    )


def pack_context(pack: Pack) -> dict:
    meeting = pack.meeting
    round_ = pack.round
    today = timezone.localdate()
    agenda = list(
        meeting.topics.filter(
            status__in=[Topic.Status.SCHEDULED, Topic.Status.DISCUSSED]
        )
        .select_related("raised_by_unit")
        .order_by("agenda_order", "pk")
    )
    units = _submission_parts(pack)
    matters = open_matters(today)
    toc = [
        {"id": "agenda", "title": _("会议议程"), "level": 1},
        {"id": "report", "title": pack.office_report_title, "level": 1},
        {"id": "units", "title": _("成员单位年度工作总结"), "level": 1},
        *({"id": u["id"], "title": u["title"], "level": 2} for u in units),
        {"id": "matters", "title": _("议定事项落实情况一览表"), "level": 1},
    ]
    day = timezone.localtime(pack.issued_at).date() if pack.issued_at else today
    return {
        "pack": pack,
        "meeting": meeting,
        "round": round_,
        "group_office": _("金台区知识产权工作协调领导小组办公室"),
        "date_cn": official_date(day),
        "meeting_date": official_date(timezone.localtime(meeting.starts_at).date()),
        "meeting_time": timezone.localtime(meeting.starts_at).strftime("%H:%M"),
        "agenda": agenda,
        "report": paragraphs(pack.office_report),
        "units": units,
        "matters": matters,
        "warn_days": settings.TASK_WARNING_WORKDAYS,
        "toc": toc,
        "is_draft": not pack.is_issued,
        **font_context(),
    }


def pack_html(pack: Pack) -> str:
    return render_to_string("pdf/annual_pack.html", pack_context(pack))


def render_pack(html: str) -> tuple[bytes, int]:
    """The PDF and its number of pages."""
    return html_to_pdf_pages(html)


def pack_filename(pack: Pack) -> str:
    return f"{pack.meeting.title}材料汇编.pdf".replace("/", "-")
