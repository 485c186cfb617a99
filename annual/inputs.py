"""What the annual services accept: the checks each service makes first, so a
caller other than the forms (demo data, the bench, a shell) cannot store a text
the documents cannot print or that the database would refuse, a date out of
the portal's range or a year no round can have. The forms check the same,
with the same limits (annual/forms.py), beside the fields.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from jinwei_ip.lib.dates import check_dates, check_year, date_refusal
from jinwei_ip.lib.text import check_official_texts

from .models import Round

TITLE_MAX = (
    200  # Round.title, Pack.office_report_title, Plan.title, CoordinationItem.title
)
SECTION_MAX = 60  # PlanEntry.section
APPROVAL_NOTE_MAX = 300  # Plan.approval_note
SECTION_TITLE_MAX = 100
INSTRUCTIONS_MAX = 5000
ITEM_TEXT_MAX = 2000
SECTION_TEXT_MAX = 20000
DUTY_NOTE_MAX = 5000
REPORT_TEXT_MAX = 60000
PLAN_TEXT_MAX = 5000
MAX_SECTIONS = 12
MAX_PLAN_ITEMS = 40
MAX_COORDINATION_ITEMS = 20
# every member unit's 下年度工作打算 gathered in one draft plan
MAX_PLAN_ENTRIES = 1000


def _rows(key: str, rows: Sequence[tuple[str, dict]]) -> None:
    """``rows`` of ``(where, {field: (label, value, limit)})``: the first
    refusal, naming the row and the field, under ``key``."""
    for where, fields in rows:
        try:
            check_official_texts(
                {
                    name: (_("%(w)s的%(l)s") % {"w": where, "l": label}, value, limit)
                    for name, (label, value, limit) in fields.items()
                }
            )
        except ValidationError as error:
            raise ValidationError({key: "；".join(error.messages)}) from error


def _row_dates(key: str, rows: Sequence[tuple[str, date | None]]) -> None:
    for where, day in rows:
        if day is None:
            continue
        refusal = date_refusal(day, label=_("%(w)s的完成时限") % {"w": where})
        if refusal:
            raise ValidationError({key: refusal})


def round_input(
    *,
    deadline: date,
    instructions: str,
    year: int | None = None,
    title: str = "",
    sections: Sequence[dict] = (),
) -> None:
    """round_open (everything) and round_edit (deadline and instructions)."""
    check_year(year, field="year", label=_("报送年度"))
    check_official_texts(
        {
            "title": (_("名称"), title, TITLE_MAX),
            "instructions": (_("报送要求"), instructions, INSTRUCTIONS_MAX),
        }
    )
    check_dates({"deadline": (_("报送截止日期"), deadline)})
    if len(sections) > MAX_SECTIONS:
        raise ValidationError(
            _("报送提纲最多 %(num)d 节，请刷新页面后重新填写。") % {"num": MAX_SECTIONS}
        )
    _rows(
        "sections",
        [
            (
                _("报送提纲第%(n)d节") % {"n": n},
                {"title": (_("标题"), s.get("title") or "", SECTION_TITLE_MAX)},
            )
            for n, s in enumerate(sections, start=1)
        ],
    )


def submission_input(
    round_: Round,
    *,
    texts: dict[str, str],
    duty_notes: dict[str, str],
    plan_items: Sequence[dict],
    coordination_items: Sequence[dict],
) -> None:
    """submission_save: the section texts, the duty notes and the items."""
    titles = {s["key"]: s["title"] for s in round_.text_sections}
    check_official_texts(
        {
            f"text_{key}": (titles.get(key, _("正文")), value, SECTION_TEXT_MAX)
            for key, value in texts.items()
        }
    )
    check_official_texts(
        {
            f"duty_{key}": (_("职责条款落实情况"), value, DUTY_NOTE_MAX)
            for key, value in duty_notes.items()
        }
    )
    for name, rows, limit in (
        ("plan_items", plan_items, MAX_PLAN_ITEMS),
        ("coordination_items", coordination_items, MAX_COORDINATION_ITEMS),
    ):
        if len(rows) > limit:
            raise ValidationError(
                {name: _("最多 %(num)d 条，请删减后再保存。") % {"num": limit}}
            )
    plan = [(_("第%(n)d条工作打算") % {"n": n}, i) for n, i in enumerate(plan_items, 1)]
    _rows(
        "plan_items",
        [
            (where, {"text": (_("内容"), item.get("text") or "", ITEM_TEXT_MAX)})
            for where, item in plan
        ],
    )
    _row_dates("plan_items", [(where, item.get("due_on")) for where, item in plan])
    _rows(
        "coordination_items",
        [
            (
                _("需协调事项%(n)d") % {"n": n},
                {
                    "title": (_("事项"), item.get("title") or "", TITLE_MAX),
                    "description": (
                        _("具体情况与建议"),
                        item.get("description") or "",
                        ITEM_TEXT_MAX,
                    ),
                },
            )
            for n, item in enumerate(coordination_items, start=1)
        ],
    )


def pack_input(*, title: str, text: str) -> None:
    """pack_edit: the office's report."""
    check_official_texts(
        {
            "title": (_("工作报告标题"), title, TITLE_MAX),
            "text": (_("工作报告正文"), text, REPORT_TEXT_MAX),
        }
    )


def plan_input(
    *, title: str, intro: str, requirements: str, entries: Sequence[dict]
) -> None:
    """plan_edit: the plan's texts and each entry's category, task and deadline."""
    check_official_texts(
        {
            "title": (_("计划名称"), title, TITLE_MAX),
            "intro": (_("总体要求"), intro, PLAN_TEXT_MAX),
            "requirements": (_("保障措施"), requirements, PLAN_TEXT_MAX),
        }
    )
    if len(entries) > MAX_PLAN_ENTRIES:
        raise ValidationError(
            _("工作计划最多 %(num)d 条工作任务。") % {"num": MAX_PLAN_ENTRIES}
        )
    rows = [(_("第%(n)d条") % {"n": n}, e) for n, e in enumerate(entries, start=1)]
    _rows(
        "entries",
        [
            (
                where,
                {
                    "section": (_("所属类别"), e.get("section") or "", SECTION_MAX),
                    "text": (_("工作任务"), e.get("text") or "", ITEM_TEXT_MAX),
                },
            )
            for where, e in rows
        ],
    )
    _row_dates("entries", [(where, e.get("due_on")) for where, e in rows])


def approval_input(*, approved_on: date, note: str) -> None:
    """plan_approve: the date and the note of the approval."""
    check_dates({"approved_on": (_("审定日期"), approved_on)})
    check_official_texts({"note": (_("审定情况"), note, APPROVAL_NOTE_MAX)})
