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
(column names, deadlines, unit phrases), ``plan_rows`` checks one task row
against the database; this module finds the header, tells headings from tasks
and puts the rows together (repeats, numbering). The workbook to fill in is
``plan_template``.

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
from django.utils.translation import gettext as _

from jinwei_ip.lib.xlsx import FORMULA_PREFIXES

from .plan_cells import (
    ROLE_LABELS,
    accepted_names,
    cell_text,
    read_due,
    role_of,
)
from .plan_reader import UnreadableFile, read_sheet
from .plan_rows import Lookups, check_row

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


def parse_due(value, year: int) -> date | None:
    """The date a deadline cell means (``plan_cells.read_due``), or None."""
    due = read_due(value, year)
    return due.on if due else None


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
    lookups = Lookups()
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
        if all(cell_text(v) == "" for v in values.values()):
            continue  # blank lines between sections are common in plans
        if cell_text(values.get("seq")) in marks:
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
        category = cell_text(values.get("category")) or " / ".join(path)
        row = check_row(number, values, layout, year, lookups, result.errors)
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
        texts = [cell_text(v) for v in line if cell_text(v)]
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
            text = cell_text(values.get(role))
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
        if any(cell_text(values.get(r)) for r in DETAIL_ROLES):
            return ""
        seq = cell_text(values.get("seq"))
        if (
            HEADING.match(text)
            or REMARK.match(text)
            or (not cell_text(values.get("task")) and seq and not seq.isdigit())
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
            Column(i, cell_text(v), role_of(v))
            for i, v in enumerate(line)
            if cell_text(v) and i not in copied
        ]
        if not any(c.role for c in columns):
            continue
        bottom = index
        below = rows[index + 1] if index + 1 < len(rows) else []
        if _is_subheader(line, below):
            bottom = index + 1
            columns = []
            for i in range(len(line)):
                lower, upper = cell_text(below[i]), cell_text(line[i])
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
        text = cell_text(value)
        if not text:
            continue
        above = cell_text(line[i]) if i < len(line) else ""
        if text == above:
            continue
        if not role_of(text):
            return False
        named = True
    return named


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
