"""The minutes PDF (纪要) in the layout of GB/T 9704-2012 §10.3.

The page box, grid, fonts and page numbers come from the shared official-document
stylesheet (``templates/pdf/official.css`` through ``jinwei_ip.lib.pdf``); this
module builds the minutes' context: the red mark, the issue number line, the
narrative (escaped), the numbered decided matters and the 出席/请假/列席 lists.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jinwei_ip.lib.numerals import chinese_numeral
from jinwei_ip.lib.pdf import mark_font_size, official_date, render_pdf
from members.models import Unit

from . import hooks
from .models import Attendance, Meeting, Minutes, SuggestedUnit


def _person_label(a: Attendance) -> str:
    """One person as printed in the lists: "区司法局 蒋平", "区政府副区长 王建华".

    A title naming the group's own office ("领导小组办公室…") is printed without
    the member unit that houses the office: "领导小组办公室 陈静"."""
    unit = a.unit.name if a.unit_id else ""
    title = a.title_at_meeting
    if title and unit and title.startswith(unit):
        # "区司法局分管负责同志" → "区司法局 蒋平": the unit and the name, as printed.
        title = ""
    if title.startswith(GROUP_OFFICE):
        unit, title = "", GROUP_OFFICE
    head = f"{unit}{title}"
    text = f"{head} {a.person.name}" if head else a.person.name
    if a.substitute_id:
        text += _("（%(name)s代）") % {"name": a.substitute.name}
    return text


GROUP_OFFICE = "领导小组办公室"
LIST_ORDER = (
    Attendance.Status.PRESENT,
    Attendance.Status.ABSENT,
    Attendance.Status.OBSERVER,
)


def _live_name_lists(meeting: Meeting) -> list[dict]:
    groups: dict[str, list[str]] = {s: [] for s in Attendance.Status.values}
    for a in meeting.attendance_in_protocol_order():
        groups[a.status].append(_person_label(a))
    return [
        {"status": status, "names": "、".join(groups[status])}
        for status in LIST_ORDER
        if groups[status]
    ]


def _live_distribution(minutes: Minutes) -> str:
    """分送: the leaders and the units the meeting lists, with the units its decided
    matters name (建议承办单位) though the meeting did not list them."""
    meeting = minutes.meeting
    if meeting.is_plenary:
        return _("分送：领导小组组长、副组长，各成员单位。")
    # One query for both: the meeting's units and its decided matters' units.
    units = Unit.objects.filter(
        Q(
            pk__in=Meeting.units.through.objects.filter(meeting=meeting).values(
                "unit_id"
            )
        )
        | Q(
            pk__in=SuggestedUnit.objects.filter(decision__minutes=minutes).values(
                "unit_id"
            )
        )
    ).order_by("order", "pk")
    return _("分送：领导小组组长、副组长，%(units)s。") % {
        "units": "、".join(u.name for u in units.only("name")) or _("各成员单位")
    }


def document_facts(minutes: Minutes) -> dict:
    """What the document takes from the meeting, read live: the mark, the issuer,
    the 出席/请假/列席 lists (by status, names as printed) and the distribution
    line. ``minutes_issue`` stores this as the minutes' snapshot."""
    meeting = minutes.meeting
    group = meeting.group
    return {
        "mark": f"{group.name}纪要",
        "issuer": _("%(group)s办公室") % {"group": group.name},
        "name_lists": _live_name_lists(meeting),
        "distribution": _live_distribution(minutes),
    }


def shown_facts(minutes: Minutes) -> dict:
    """The snapshot for issued minutes (frozen), the live meeting for drafts."""
    if minutes.is_frozen and minutes.snapshot:
        return minutes.snapshot
    return document_facts(minutes)


def name_lists(minutes: Minutes, facts: dict | None = None) -> list[tuple[str, str]]:
    """``[("出席", "…、…"), ("请假", …), ("列席", …)]`` as the document prints them."""
    facts = facts if facts is not None else shown_facts(minutes)
    return [
        (str(Attendance.Status(row["status"]).label), row["names"])
        for row in facts["name_lists"]
    ]


def minutes_context(minutes: Minutes) -> dict:
    meeting = minutes.meeting
    facts = shown_facts(minutes)
    mark = facts["mark"]
    day = (
        timezone.localtime(minutes.issued_at).date()
        if minutes.issued_at
        else (timezone.localdate())
    )
    decisions = [
        {"numeral": chinese_numeral(d.number), "text": d.text}
        for d in minutes.decisions.order_by("number")
    ]
    correction_note = ""
    if minutes.supersedes_id:
        correction_note = _("（本纪要更正%(label)s，更正理由：%(reason)s）") % {
            "label": minutes.supersedes.issue_label
            or _("第%(v)d版") % {"v": minutes.supersedes.version},
            "reason": minutes.correction_reason,
        }
    return {
        "minutes": minutes,
        "meeting": meeting,
        "mark": mark,
        "mark_size": mark_font_size(mark),
        "issuer": facts["issuer"],
        "date_label": official_date(day),
        "printed_label": _("%(date)s印发") % {"date": official_date(day)},
        "decisions": decisions,
        "decisions_intro": _("会议议定以下事项："),
        # What other apps print after the decided matters (hooks.minutes_sections).
        "sections": [s for section in hooks.minutes_sections for s in section(minutes)],
        "name_lists": name_lists(minutes, facts),
        "distribution": facts["distribution"],
        "correction_note": correction_note,
        # "草稿 · 未印发", "待审批 · 未印发", "已审批 · 未印发".
        "draft_label": _("%(status)s · 未印发")
        % {"status": minutes.get_status_display()},
    }


def minutes_pdf(minutes: Minutes) -> bytes:
    return render_pdf("pdf/minutes.html", minutes_context(minutes))


def minutes_filename(minutes: Minutes) -> str:
    """The name an archivist files it under: issue number, a space, the title
    (〔2026〕第3期 金台区…纪要.pdf); a later version says which, a draft says so."""
    if minutes.issue_label:
        name = f"{minutes.issue_label} {minutes.title}"
        if minutes.version > 1:
            name += _("（第%(v)d版）") % {"v": minutes.version}
    else:
        name = minutes.title + _("（第%(v)d版草稿）") % {"v": minutes.version}
    return (
        "".join("-" if c in '/\\:*?"<>|' or ord(c) < 32 else c for c in name) + ".pdf"
    )
