"""The minutes PDF (纪要) in the layout of GB/T 9704-2012 §10.3.

The page box, grid, fonts and page numbers come from the shared official-document
stylesheet (``templates/pdf/official.css`` through ``jinwei_ip.lib.pdf``); this
module builds the minutes' context: the red mark, the issue number line, the
narrative (escaped), the numbered decided matters and the 出席/请假/列席 lists.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from jinwei_ip.lib.pdf import mark_font_size, render_pdf

from .models import Attendance, Minutes

NUMERALS = "零一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 23 → 二十三 (up to 99, enough for decided matters)."""
    if n < 10:
        return NUMERALS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else NUMERALS[tens]
    return f"{head}十{NUMERALS[ones] if ones else ''}"


def chinese_date(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _person_label(a: Attendance) -> str:
    unit = a.unit.name if a.unit_id else ""
    title = a.title_at_meeting
    if title and unit and title.startswith(unit):
        # "区司法局分管负责同志" → "区司法局 蒋平": the unit and the name, as printed.
        title = ""
    text = f"{unit}{title}{a.person.name}" if (unit or title) else a.person.name
    if a.substitute_id:
        text += _("（%(name)s代）") % {"name": a.substitute.name}
    return text


def name_lists(minutes: Minutes) -> list[tuple[str, str]]:
    groups: dict[str, list[str]] = {s: [] for s in Attendance.Status.values}
    for a in minutes.meeting.attendance.select_related(
        "person", "unit", "substitute"
    ).order_by("unit__order", "id"):
        groups[a.status].append(_person_label(a))
    out = []
    for status in (
        Attendance.Status.PRESENT,
        Attendance.Status.ABSENT,
        Attendance.Status.OBSERVER,
    ):
        if groups[status]:
            out.append(
                (str(Attendance.Status(status).label), "、".join(groups[status]))
            )
    return out


def minutes_context(minutes: Minutes) -> dict:
    meeting = minutes.meeting
    group = meeting.group
    mark = f"{group.name}纪要"
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
        "issuer": _("%(group)s办公室") % {"group": group.name},
        "date_label": chinese_date(day),
        "printed_label": _("%(date)s印发") % {"date": chinese_date(day)},
        "decisions": decisions,
        "decisions_intro": _("会议议定以下事项："),
        "name_lists": name_lists(minutes),
        "distribution": _("分送：领导小组组长、副组长，各成员单位。")
        if meeting.is_plenary
        else _("分送：领导小组组长、副组长，%(units)s。")
        % {"units": "、".join(u.name for u in meeting.units.all()) or _("各成员单位")},
        "correction_note": correction_note,
        "draft_label": _("草稿 · %(status)s · 未印发")
        % {"status": minutes.get_status_display()},
    }


def minutes_pdf(minutes: Minutes) -> bytes:
    return render_pdf("pdf/minutes.html", minutes_context(minutes))


def minutes_filename(minutes: Minutes) -> str:
    label = minutes.issue_label or _("第%(v)d版草稿") % {"v": minutes.version}
    return f"{minutes.meeting.code}{minutes.title}{label}.pdf".replace("/", "-")
