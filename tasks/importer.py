"""Import of the annual work plan (工作计划) from an Excel workbook or a CSV.

Why a dedicated importer instead of django-import-export's Resource: a plan row is
not one model row. It resolves unit names through aliases and the ways plans
write them (“区市场监管局、市公安局金台分局”: first unit leads; “区市场监管局牵头，
各成员单位配合”), becomes a Task with co-units, duty clauses and object permissions
(written as ``services.task_assign`` would, in bulk: ``plans.work_plan_import``),
and must report errors by row *and column* in Chinese before anything is written.
Resource's row model (one instance per row, ``save()`` per instance, English error
strings, no hook for a guarded zip check before openpyxl opens the file) would have
needed overriding at every step.

Plans come as offices write them, not only as the portal's template: a title and
blank rows above the table, a header over two rows, columns named in other words
and in any order, extra columns, category headings across the table, cells merged
over several rows, deadlines in words, CSVs in GBK. ``plan_reader`` turns the file
into a grid of cells (merged cells filled in), ``plan_cells`` reads single cells
(column names, deadlines, unit phrases); this module finds the header, tells
headings from tasks and checks every row.

Flow: ``parse_work_plan(bytes, year, name)`` → ``ParseResult`` (rows as plain
JSON-able dicts + errors + how the file was read). The preview page shows it and
keeps the rows in the session; confirming calls ``plans.work_plan_import`` in
one transaction.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext as _

from duties.models import DutyClause
from jinwei_ip.lib.xlsx import FORMULA_PREFIXES
from members.models import Unit, UnitAlias, normalize_unit_name

from .plan_cells import (
    ALL_MEMBERS,
    ROLE_LABELS,
    Due,
    Units,
    accepted_names,
    read_due,
    read_units,
    role_of,
    split_phrase,
    units_in_text,
)
from .plan_reader import UnreadableFile, read_sheet

COLUMNS = ["序号", "工作任务", "牵头单位", "配合单位", "完成时限", "依据职责"]
DUTY_CODE = re.compile(r"([A-Za-z]+)-(\d+)")
DEFAULT_MAX_UNPACKED = 50 * 1024 * 1024
# The header is looked for in the first rows (a title, a date line, blank rows
# and a two-row header above the table).
HEADER_SEARCH = 30
# A cell that is only a dash or a slash (“—”, “/”, “-”) or 无 means “none”.
PLACEHOLDER = re.compile(r"[-—–－/／\\]+|无")
HEADING = re.compile(
    r"^(?:[一二三四五六七八九十百]+[、.．]|[（(][一二三四五六七八九十]+[)）]"
    r"|第[一二三四五六七八九十]+(?:部分|章|节|篇|项))"
)
# a note under (or within) the table: 注：…, 备注：…, 说明：…
REMARK = re.compile(r"^(?:注|备注|说明|附注)\s*\d*\s*[:：.．、]")
SUBHEADING = re.compile(r"^[（(][一二三四五六七八九十]+[)）]")
CN_SEQ = re.compile(
    r"[一二三四五六七八九十百]+[、.．]?|[（(][一二三四五六七八九十]+[)）]"
)
# what a row holds only to show how its cells were read
PREVIEW_KEYS = frozenset(
    {
        "seq_text",
        "seq_column",
        "task_column",
        "units_text",
        "units_column",
        "units_from_task",
        "co_text",
        "co_column",
        "unit_notes",
        "due_text",
        "due_note",
        "open_ended",
        "duty_labels",
    }
)
DETAIL_ROLES = ("lead", "co", "units", "due", "duty")


def example_marks() -> set[str]:
    """What the template writes in the 序号 of its example row (in both
    languages): such a row shows how to fill the sheet and is never a task."""
    return {"示例", _("示例")}


@dataclass
class Column:
    index: int
    name: str  # as written in the file's header
    role: str | None = None

    @property
    def letter(self) -> str:
        from openpyxl.utils import get_column_letter

        return get_column_letter(self.index + 1)

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self.role]) if self.role else ""


@dataclass
class ParseResult:
    rows: list[dict] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # numbers of the template's example rows, left out of the import
    examples: list[int] = field(default_factory=list)
    # how the file was read, for the preview
    header_rows: tuple[int, int] | None = None
    columns: list[Column] = field(default_factory=list)
    ignored: list[Column] = field(default_factory=list)
    headings: list[tuple[int, str]] = field(default_factory=list)
    remarks: list[tuple[int, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    title: str = ""
    kind: str = ""
    encoding: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)

    def rows_to_keep(self) -> list[dict]:
        """The rows as the confirmation needs them (kept in the session between
        preview and confirmation): without what only the preview shows."""
        return [
            {k: v for k, v in row.items() if k not in PREVIEW_KEYS} for row in self.rows
        ]

    @property
    def header_text(self) -> str:
        if not self.header_rows:
            return ""
        top, bottom = self.header_rows
        return str(top) if top == bottom else f"{top}–{bottom}"


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def parse_due(value, year: int) -> date | None:
    """The date a deadline cell means (``plan_cells.read_due``), or None."""
    due = read_due(value, year)
    return due.on if due else None


def split_units(text: str) -> list[str]:
    return [name for name, _role in split_phrase(text)]


def parse_work_plan(data: bytes, year: int, name: str = "plan.xlsx") -> ParseResult:
    """Read and check every row of an .xlsx or .csv plan; nothing is written here.

    The header is found by its column names (``plan_cells.ROLES``) within the
    first rows, over one row or two; rows above it are the title. A row written
    across the table (merged cells, or “一、……” with no units or deadline) is a
    category heading: the tasks below it carry it.
    """
    result = ParseResult()
    max_rows = getattr(settings, "IMPORT_MAX_ROWS", 20000)
    try:
        sheet = read_sheet(
            data,
            name,
            max_rows=max_rows + HEADER_SEARCH + 2,
            max_unpacked=getattr(
                settings, "IMPORT_MAX_UNPACKED_BYTES", DEFAULT_MAX_UNPACKED
            ),
        )
    except UnreadableFile as error:
        result.errors.append(str(error))
        return result
    result.kind, result.encoding = sheet.kind, sheet.encoding
    layout = _find_header(sheet.rows, sheet.spans, result)
    if layout is None:
        return result
    top, bottom = result.header_rows
    _read_title(sheet.rows[: top - 1], year, result)
    lookups = _Lookups()
    marks = example_marks()
    path: list[str] = []  # the category headings above the current row
    for index in range(bottom, len(sheet.rows)):
        number = index + 1
        if number - bottom > max_rows:
            result.errors.append(
                _("文件超过 %(n)d 行的限制（表头之下第%(row)d行起）。")
                % {"n": max_rows, "row": number}
            )
            break
        values = layout.values(sheet.rows[index])
        if layout.formulas(number, values, result.errors):
            continue
        if all(_text(v) == "" for v in values.values()):
            continue  # blank lines between sections are common in plans
        if _text(values.get("seq")) in marks:
            # the template's example row, left in by whoever filled it: it
            # would otherwise be assigned as a task (with a past deadline)
            result.examples.append(number)
            continue
        heading = layout.heading(values, sheet.spans.get(index, []))
        if heading and REMARK.match(heading):
            result.remarks.append((number, heading))
            continue
        if heading:
            result.headings.append((number, heading))
            if SUBHEADING.match(heading) and path:
                path[1:] = [heading]
            else:
                path[:] = [heading]
            continue
        category = _text(values.get("category")) or " / ".join(path)
        row = _parse_row(number, values, layout, year, lookups, result.errors)
        if row is not None:
            row["category"] = category
            result.rows.append(row)
    _check_repeats(result)
    if not result.rows and not result.errors:
        if result.examples:
            result.errors.append(
                _(
                    "文件中只有模板的示例行（序号为“示例”）：请在其下方填写任务，"
                    "或改写示例行并填入序号后再导入。"
                )
            )
        else:
            result.errors.append(
                _("文件中没有任务行：任务从表头（第%(row)s行）的下一行开始。")
                % {"row": result.header_text}
            )
    return result


def _check_repeats(result: ParseResult) -> None:
    """The same task twice is refused; a 序号 seen twice is refused unless the
    file numbers its tasks afresh under each category heading (一、1 2 3，二、1 2
    …): then the tasks are numbered in file order."""
    seen: dict[tuple[str, int], int] = {}
    for row in result.rows:
        key = (row["title"], row["lead"])
        if key in seen:
            result.errors.append(
                _(
                    "第%(row)d行“%(col)s”：与第%(first)d行重复"
                    "（同一工作任务、同一牵头单位）。"
                )
                % {"row": row["row"], "col": row["task_column"], "first": seen[key]}
            )
        else:
            seen[key] = row["row"]
    seqs: dict[str, dict] = {}
    repeats = []
    for row in result.rows:
        if row["seq"]:
            if row["seq"] in seqs:
                repeats.append((row, seqs[row["seq"]]))
            else:
                seqs[row["seq"]] = row
    if not repeats:
        return
    if result.headings and all(a["category"] != b["category"] for a, b in repeats):
        for row in result.rows:
            row["seq"] = ""
        result.notes.append(
            _("序号在各类别下重新编排，任务编号改按文件中的先后顺序编为 1、2、3……")
        )
        return
    for row, first in repeats:
        result.errors.append(
            _("第%(row)d行“%(col)s”：%(seq)s 与第%(first)d行重复。")
            % {
                "row": row["row"],
                "col": row["seq_column"],
                "seq": row["seq"],
                "first": first["row"],
            }
        )


def _read_title(above: list[list], year: int, result: ParseResult) -> None:
    """The title written above the table, and a warning when it names another
    year than the plan's (deadlines without a year are the plan's year)."""
    for line in above:
        texts = [_text(v) for v in line if _text(v)]
        if texts:
            result.title = texts[0][:200]
            break
    m = re.search(r"(\d{4})\s*年", result.title)
    if m and int(m[1]) != year:
        result.notes.append(
            _(
                "文件标题写的是 %(file)s 年，而本计划为 %(plan)d 年度："
                "未写年份的完成时限按 %(plan)d 年计。请核对是否导入到了正确的计划。"
            )
            % {"file": m[1], "plan": year}
        )


class _Layout:
    """Which column holds what, as found in the header."""

    def __init__(self, columns: list[Column]) -> None:
        self.columns = {c.role: c for c in columns if c.role}
        self.names = {role: c.name for role, c in self.columns.items()}
        # A single unit column (责任单位, or 牵头单位 alone) holds the lead and
        # the co-units; next to a 配合单位 column it holds the lead; 牵头单位
        # next to 责任单位 makes the latter the co-units.
        self.unit_role = (
            "lead"
            if "lead" in self.columns
            else ("units" if "units" in self.columns else None)
        )
        self.co_role = (
            "co"
            if "co" in self.columns
            else (
                "units"
                if self.unit_role == "lead" and "units" in self.columns
                else None
            )
        )

    def values(self, line: list) -> dict:
        values = {}
        for role, column in self.columns.items():
            value = line[column.index] if column.index < len(line) else None
            if isinstance(value, str) and PLACEHOLDER.fullmatch(value.strip()):
                value = None
            values[role] = value
        return values

    def formulas(self, number: int, values: dict, errors: list[str]) -> bool:
        from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

        found = False
        for role, value in values.items():
            # leading spaces are stripped from what is stored: “ =1” would be
            # stored as “=1”
            text = value.lstrip(" \u3000") if isinstance(value, str) else ""
            if isinstance(value, ArrayFormula | DataTableFormula) or (
                text.startswith(FORMULA_PREFIXES)
            ):
                first = text[0] if text else "="
                shown = {"\t": _("制表符"), "\r": _("回车符")}.get(first, first)
                errors.append(
                    _(
                        "第%(row)d行“%(col)s”：单元格以“%(c)s”开头，"
                        "会被当作公式，请删去该字符，或复制后“粘贴为数值”再导入。"
                    )
                    % {
                        "row": number,
                        "col": self.names[role],
                        "c": shown,
                    }
                )
                found = True
        return found

    def heading(self, values: dict, spans: list[tuple[int, int]]) -> str:
        """The text of a category heading row (“一、加强知识产权保护”), or ""."""
        texts = []
        for role in ("seq", "category", "task"):
            text = _text(values.get(role))
            if text and text not in texts:
                texts.append(text)
        if not texts:
            return ""
        text = texts[0]
        for more in texts[1:]:
            joined = CN_SEQ.fullmatch(text) and not text.endswith(("、", ")", "）"))
            text = text + ("、" if joined else "") + more
        task = self.columns.get("task")
        details = [self.columns[r].index for r in DETAIL_ROLES if r in self.columns]
        for first, last in spans:
            if (
                task
                and first <= task.index <= last
                and any(first <= i <= last for i in details)
            ):
                return text
        if any(_text(values.get(r)) for r in DETAIL_ROLES):
            return ""
        seq = _text(values.get("seq"))
        if (
            HEADING.match(text)
            or REMARK.match(text)
            or (not _text(values.get("task")) and seq and not seq.isdigit())
        ):
            return text
        return ""


def _find_header(
    rows: list[list], spans: dict[int, list[tuple[int, int]]], result: ParseResult
) -> _Layout | None:
    """The header: the first row (or pair of rows, for a header in two rows
    under merged cells) naming a 工作任务 and a 完成时限 column. A header cell
    merged across columns names the first of them (the others are its copies)."""
    best: list[Column] = []

    def copies(index: int) -> set[int]:
        return {c for a, b in spans.get(index, []) for c in range(a + 1, b + 1)}

    for index in range(min(HEADER_SEARCH, len(rows))):
        line = rows[index]
        copied = copies(index)
        columns = [
            Column(i, _text(v), role_of(v))
            for i, v in enumerate(line)
            if _text(v) and i not in copied
        ]
        if not any(c.role for c in columns):
            continue
        bottom = index
        below = rows[index + 1] if index + 1 < len(rows) else []
        if _is_subheader(line, below):
            bottom = index + 1
            columns = []
            for i in range(len(line)):
                lower, upper = _text(below[i]), _text(line[i])
                if lower and role_of(lower) and lower != upper:
                    columns.append(Column(i, lower, role_of(lower)))
                elif upper and i not in copied:
                    columns.append(Column(i, upper, role_of(upper)))
        roles = [c.role for c in columns if c.role]
        if len(set(roles)) > len({c.role for c in best if c.role}):
            best = columns
        if "task" not in roles or "due" not in roles:
            continue
        if roles.count("task") == 2 and "category" not in roles:
            # 重点任务 | 具体措施: the measures are the tasks, the first column
            # (often merged over its measures) says what they belong to
            first = next(c for c in columns if c.role == "task")
            first.role = "category"
            roles = [c.role for c in columns if c.role]
        twice = [r for r in set(roles) if roles.count(r) > 1]
        if twice:
            for role in twice:
                same = [c for c in columns if c.role == role]
                result.errors.append(
                    _("表头第%(row)d行：%(cols)s都是“%(role)s”列，请只保留一列。")
                    % {
                        "row": index + 1,
                        "cols": "、".join(f"{c.letter}列“{c.name}”" for c in same),
                        "role": ROLE_LABELS[role],
                    }
                )
            return None
        result.header_rows = (index + 1, bottom + 1)
        result.columns = [c for c in columns if c.role]
        result.ignored = [c for c in columns if not c.role]
        return _Layout(columns)
    accepted = "；".join(f"{label}：{names}" for label, names in accepted_names())
    if best:
        found = {c.role for c in best if c.role}
        missing = [str(ROLE_LABELS[r]) for r in ("task", "due") if r not in found]
        result.errors.append(
            _(
                "表头不符合模板（缺少列：%(missing)s）。表头须有“工作任务”和“完成时限”两列，"
                "可用的列名为——%(accepted)s。"
            )
            % {"missing": "、".join(missing), "accepted": accepted}
        )
    else:
        result.errors.append(
            _(
                "表头不符合模板：前 %(n)d 行中找不到表头。表头须有“工作任务”和“完成时限”两列，"
                "可用的列名为——%(accepted)s。"
            )
            % {"n": HEADER_SEARCH, "accepted": accepted}
        )
    return None


def _is_subheader(line: list, below: list) -> bool:
    """Whether ``below`` is the second row of a two-row header: it names a
    column, and each of its other cells is empty or repeats the cell above (a
    header cell merged over both rows)."""
    named = False
    for i, value in enumerate(below):
        text = _text(value)
        if not text:
            continue
        above = _text(line[i]) if i < len(line) else ""
        if text == above:
            continue
        if not role_of(text):
            return False
        named = True
    return named


class _Lookups:
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


def _parse_row(
    number: int,
    values: dict,
    layout: _Layout,
    year: int,
    lookups: _Lookups,
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

    text = _text(values.get("task"))
    task_col = names["task"]
    unit_col = names.get(layout.unit_role, task_col)
    phrase = _text(values.get(layout.unit_role)) if layout.unit_role else ""
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
    co_text = _text(values.get(layout.co_role)) if layout.co_role else ""
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
        if _text(raw_due):
            error(
                due_col,
                _(
                    "无法识别的日期“%(d)s”（可写 2026-06-30、6月30日前、2026年6月底、"
                    "上半年、第三季度、年底前、长期坚持等）"
                )
                % {"d": _text(raw_due)},
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
    duty_text = _text(values.get("duty"))
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
    seq_text = _text(values.get("seq"))
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
        "due_text": _text(raw_due)
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


def template_workbook() -> bytes:
    """An empty plan workbook with the columns the importer reads and one
    example row, for the office to fill in. The example's 序号 is 示例, so the
    importer leaves it out if it is left in; its deadline is a month without a
    year (the plan's year)."""
    from io import BytesIO

    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = _("工作计划")
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.append(
        [
            _("示例"),
            _("开展知识产权宣传周活动（区市场监管局、区委宣传部负责）"),
            "",
            "",
            _("4月底"),
            "SCJGJ-1",
        ]
    )
    for column, width in zip("ABCDEF", (6, 60, 18, 28, 16, 16), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    notes = book.create_sheet(_("填写说明"))
    notes.append([_("填写说明（导入时只读取第一个工作表）")])
    notes["A1"].font = Font(bold=True)
    notes.append([])
    notes.append([_("列"), _("可用的列名（列的先后不限，多出的列如“备注”不导入）")])
    for cell in notes[3]:
        cell.font = Font(bold=True)
    for label, names in accepted_names():
        notes.append([label, names])
    notes.append([])
    for line in template_notes():
        notes.append([line])
    notes.column_dimensions["A"].width = 14
    notes.column_dimensions["B"].width = 100
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def template_notes() -> list[str]:
    """How cells may be written, for the template's 填写说明 sheet."""
    return [
        _(
            "表头之上可以有标题行和空行；表头可以占两行（如“责任单位”下分“牵头单位”“配合单位”）。"
        ),
        _(
            "必须有“工作任务”和“完成时限”两列；单位写在“牵头单位”“配合单位”列、一列“责任单位”，或工作任务末尾的括号中。"
        ),
        _(
            "只有一列单位时：“区市场监管局、市公安局金台分局”第一个单位牵头；也可写“区市场监管局牵头，各成员单位配合”或“（市公安局金台分局牵头，区市场监管局配合）”。“各成员单位”指牵头单位以外的全部成员单位。"
        ),
        _(
            "单位可写规范名称、简称或别名，如“市场监管局”“金台分局”；“配合单位”写“—”或“/”表示没有。"
        ),
        _(
            "有“重点任务”和“具体措施”两列时，每条具体措施为一项任务，重点任务作为其类别。"
        ),
        _(
            "完成时限可写 2027-06-30、6月30日前、2027年6月底、上半年、第三季度、年底前；未写年份的按计划年度计；“长期坚持”“持续推进”按计划年度 12 月 31 日督办。"
        ),
        _(
            "“一、加强知识产权保护”这样横跨表格（合并单元格）或只有序号和标题的行是类别标题，不是任务；合并在几行上的单位或时限属于其中每一行。"
        ),
        _(
            "依据职责填写职责编号，如 SCJGJ-2；以 = + - @ 开头的单元格会被当作公式，不予导入。"
        ),
        _("也可另存为 CSV（UTF-8 或 GBK 编码）后导入。"),
    ]


def check_plan_rows(lines: list[dict], year: int) -> ParseResult:
    """The importer's checks on plan rows that come from another page instead of
    a file (the annual plan drafted in the browser): each line maps the
    template's column names (``COLUMNS``) to cell values. The lines are read as
    the workbook they would make, so every check is the one a file gets; errors
    say 第N行 for the Nth line. Rows are ready for ``plans.work_plan_import``."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(COLUMNS)
    for values in lines:
        sheet.append([values.get(name) for name in COLUMNS])
    out = io.BytesIO()
    book.save(out)
    result = parse_work_plan(out.getvalue(), year)
    # The header takes the workbook's first row: line N is row N+1.
    result.errors = [
        re.sub(r"第(\d+)行", lambda m: f"第{int(m.group(1)) - 1}行", error, count=1)
        for error in result.errors
    ]
    for row in result.rows:
        row["row"] -= 1
    return result
