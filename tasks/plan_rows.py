"""Checking one row of a work plan: the units, deadline and duty clauses its
cells name, resolved against the database once per file (``Lookups``), with the
errors by row and column in Chinese (``check_row``); and the preview's warnings
on rows that are valid but likely unwanted (``already_in_plan``, ``already_due``).

``tasks.importer`` finds the table and its header and calls ``check_row`` for
every task row; the single cells are read by ``tasks.plan_cells``.
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext as _

from duties.models import DutyClause
from members.models import Unit, UnitAlias, normalize_unit_name

from .plan_cells import (
    ALL_MEMBERS,
    Due,
    Units,
    cell_text,
    read_due,
    read_units,
    split_phrase,
    units_in_text,
)

if TYPE_CHECKING:
    from .importer import _Layout

DUTY_CODE = re.compile(r"([A-Za-z]+)-(\d+)")


def split_units(text: str) -> list[str]:
    return [name for name, _role in split_phrase(text)]


class Lookups:
    """Member units and duty clauses, loaded once per file.

    A plan names the same few dozen units and clauses thousands of times, so rows
    are checked against dicts instead of one query per name or clause code.
    """

    def __init__(self) -> None:
        units = list(Unit.objects.members())  # ordered by (order, id)
        self.members = units
        self.by_pk: dict[int, Unit] = {u.pk: u for u in units}
        entries = [(u.name, u) for u in units] + [
            (name, self.by_pk[unit_id])
            for name, unit_id in UnitAlias.objects.filter(
                unit__is_member=True
            ).values_list("name", "unit_id")
        ]
        # The first unit in (order, id) holding a name or alias wins, as in
        # ``UnitQuerySet.resolve`` (``.first()`` on the same ordering).
        self.names: dict[str, Unit | None] = {}
        for name, unit in sorted(entries, key=lambda e: (e[1].order, e[1].pk)):
            self.names.setdefault(name, unit)
        self._duties: dict[tuple[str, int], tuple[int, int, str]] | None = None
        self._spellings: dict[str, Unit | None] = {}
        self._dues: dict[tuple[str, int], Due | None] = {}
        self._phrases: dict[str, Units] = {}

    def unit(self, text: str) -> Unit | None:
        if text in self._spellings:
            return self._spellings[text]
        name = normalize_unit_name(text)
        if name not in self.names:
            # Variants (金台区司法局 for 区司法局) go through the one resolver;
            # the answer is kept, so each distinct spelling costs its queries once.
            self.names[name] = Unit.objects.members().resolve(name)
        self._spellings[text] = self.names[name]
        return self.names[name]

    def units(self, text: str) -> Units:
        """``read_units``, once per distinct phrase."""
        if text not in self._phrases:
            self._phrases[text] = read_units(text, self.unit, self.members)
        return self._phrases[text]

    def due(self, value, year: int) -> Due | None:
        """``read_due``, once per distinct text (a plan repeats 2027年6月底)."""
        if not isinstance(value, str):
            return read_due(value, year)
        if (value, year) not in self._dues:
            self._dues[value, year] = read_due(value, year)
        return self._dues[value, year]

    def duty(self, unit_code: str, number: int) -> tuple[int, int, str] | None:
        """(pk, unit_id, text) of the clause ``<UNIT CODE>-<number>``,
        case-insensitive."""
        if self._duties is None:
            self._duties = {}
            rows = DutyClause.objects.values_list(
                "pk", "unit_id", "unit__code", "number", "text"
            )
            for pk, unit_id, code, n, text in rows:
                self._duties.setdefault((code.lower(), n), (pk, unit_id, text))
        return self._duties.get((unit_code.lower(), number))

    def duty_codes(self, unit_code: str) -> list[str]:
        """The clause codes a unit has (GXJ-1 …), for the error on a wrong one."""
        self.duty(unit_code, 0)  # loads the clauses
        return [
            f"{unit_code.upper()}-{n}"
            for code, n in sorted(self._duties)
            if code == unit_code.lower()
        ]


def check_row(
    number: int,
    values: dict,
    layout: _Layout,
    year: int,
    lookups: Lookups,
    errors: list[str],
) -> dict | None:
    ok = True
    names = layout.names

    def error(col: str, message: str) -> None:
        nonlocal ok
        ok = False
        errors.append(
            _("第%(row)d行“%(col)s”：%(msg)s")
            % {"row": number, "col": col, "msg": message}
        )

    text = cell_text(values.get("task"))
    task_col = names["task"]
    unit_col = names.get(layout.unit_role, task_col)
    phrase = cell_text(values.get(layout.unit_role)) if layout.unit_role else ""
    if not text:
        error(task_col, _("不能为空"))
    body = text
    from_text = False
    if text and not phrase:
        found = units_in_text(text)
        if found:
            body, phrase = found
            unit_col, from_text = task_col, True
    lead = None
    co_units: dict[int, Unit] = {}
    notes: list[str] = []
    if not phrase:
        if text:
            error(
                unit_col if layout.unit_role else _("牵头单位"),
                _("不能为空（也可在工作任务末尾用“（某某局负责）”注明）"),
            )
    else:
        read = lookups.units(phrase)
        for name in read.unknown:
            error(
                unit_col,
                _("“各成员单位”不能作为牵头单位，请写明牵头的单位")
                if ALL_MEMBERS.match(name)
                else _("无法识别的单位“%(u)s”") % {"u": name},
            )
        if read.lead is None and not read.unknown:
            error(unit_col, _("没有写明牵头单位：“%(t)s”") % {"t": phrase})
        lead = read.lead
        notes.extend(read.notes)
        for unit in read.co:
            co_units.setdefault(unit.pk, unit)
    co_text = cell_text(values.get(layout.co_role)) if layout.co_role else ""
    for name in split_units(co_text):
        if ALL_MEMBERS.match(name):
            found_units = [u for u in lookups.members if lead is None or u != lead]
            notes.append(
                _("“%(w)s”即牵头单位以外的全部成员单位（%(n)d个）")
                % {"w": name, "n": len(found_units)}
            )
        else:
            unit = lookups.unit(name)
            if unit is None:
                error(names[layout.co_role], _("无法识别的单位“%(u)s”") % {"u": name})
                continue
            found_units = [unit]
        for unit in found_units:
            co_units.setdefault(unit.pk, unit)
    if lead is not None:
        co_units.pop(lead.pk, None)
    raw_due = values.get("due")
    due = lookups.due(raw_due, year)
    due_col = names["due"]
    if due is None:
        if cell_text(raw_due):
            error(
                due_col,
                _(
                    "无法识别的日期“%(d)s”（可写 2026-06-30、6月30日前、2026年6月底、"
                    "上半年、第三季度、年底前、长期坚持等）"
                )
                % {"d": cell_text(raw_due)},
            )
        else:
            error(due_col, _("不能为空"))
    elif not (2022 <= due.on.year <= year + 10):
        error(
            due_col,
            _("时限“%(d)s”超出范围（应在 2022 年至 %(max)d 年之间）")
            % {"d": due.on.isoformat(), "max": year + 10},
        )
    duties, duty_labels = [], []
    duty_text = cell_text(values.get("duty"))
    for code in DUTY_CODE.findall(duty_text):
        clause = lookups.duty(code[0], int(code[1]))
        label = "-".join(code).upper()
        if clause is None:
            known = lookups.duty_codes(code[0])
            error(
                names["duty"],
                (
                    _("无法识别的职责条款“%(c)s”（该单位的条款为 %(known)s）")
                    % {"c": "-".join(code), "known": "、".join(known)}
                )
                if known
                else _("无法识别的职责条款“%(c)s”（没有编号为 %(u)s 的单位）")
                % {"c": "-".join(code), "u": code[0].upper()},
            )
        elif lead is not None and clause[1] not in {lead.pk, *co_units}:
            error(
                names["duty"],
                _("职责条款“%(c)s”不属于牵头或配合单位") % {"c": "-".join(code)},
            )
        elif clause[0] not in duties:
            duties.append(clause[0])
            duty_labels.append(f"{label} {clause[2]}")
    if duty_text and not DUTY_CODE.search(duty_text):
        error(
            names["duty"],
            _("无法识别“%(t)s”：请填写职责编号，如 SCJGJ-2") % {"t": duty_text[:40]},
        )
    if not ok:
        return None
    title = body if len(body) <= 60 else body[:58] + "…"
    seq_text = cell_text(values.get("seq"))
    seq = seq_text.rstrip("、.．")
    return {
        "row": number,
        "seq": seq if re.fullmatch(r"[0-9A-Za-z.\-]{1,10}", seq) else "",
        "title": title,
        "description": body,
        "lead": lead.pk,
        "lead_name": lead.name,
        "co_units": list(co_units),
        "co_names": [
            u.name for u in sorted(co_units.values(), key=lambda u: (u.order, u.pk))
        ],
        "due": due.on.isoformat(),
        "duties": duties,
        # how the cells were read, for the preview
        "seq_text": seq_text,
        "seq_column": names.get("seq", ""),
        "task_column": task_col,
        "units_text": phrase,
        "units_column": unit_col,
        "units_from_task": from_text,
        "co_text": co_text,
        "co_column": names.get(layout.co_role, ""),
        "unit_notes": notes,
        "due_text": cell_text(raw_due)
        if not isinstance(raw_due, date)
        else raw_due.strftime("%Y-%m-%d"),
        "due_note": due.note,
        "open_ended": due.open_ended,
        "duty_labels": duty_labels,
    }


def already_in_plan(plan, rows: list[dict]) -> list[str]:
    """Rows whose task the plan already has (same title or same text): importing
    the same file twice would assign every task again. One query; the preview
    warns, the office decides."""
    titles = {row["title"] for row in rows} | {row["description"] for row in rows}
    existing: dict[str, str] = {}
    for code, title, description in plan.tasks.filter(
        models.Q(title__in=titles) | models.Q(description__in=titles)
    ).values_list("code", "title", "description"):
        existing.setdefault(title, code)
        existing.setdefault(description, code)
    found = []
    for row in rows:
        code = existing.get(row["title"]) or existing.get(row["description"])
        if code:
            found.append(
                _("第%(row)d行“%(title)s”：本计划已有同名任务 %(code)s")
                % {"row": row["row"], "title": row["title"], "code": code}
            )
    return found


def already_due(rows: list[dict], today: date) -> list[str]:
    """Rows whose deadline has passed: they would be red (逾期) the moment they
    are imported. The preview warns; a plan imported late may mean it."""
    return [
        _("第%(row)d行“%(title)s”：完成时限 %(due)s 已过，导入后即为逾期")
        % {"row": row["row"], "title": row["title"], "due": row["due"]}
        for row in rows
        if date.fromisoformat(row["due"]) < today
    ]
