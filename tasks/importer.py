"""Import of the annual work plan (工作计划) from an Excel workbook.

Why a dedicated importer instead of django-import-export's Resource: a plan row is
not one model row. It resolves unit names through aliases and the bracket
convention (“……（区市场监管局、市公安局金台分局负责）”: first unit leads, the rest
co-operate), becomes a Task with co-units, duty clauses and object permissions
(written as ``services.task_assign`` would, in bulk: ``plans.work_plan_import``),
and must report errors by row *and column* in Chinese before anything is written.
Resource's row model (one instance per row, ``save()`` per instance, English error
strings, no hook for a guarded zip check before openpyxl opens the file) would have
needed overriding at every step.

Flow: ``parse_work_plan(bytes, year)`` → ``ParseResult`` (rows as plain JSON-able
dicts + errors). The preview page shows it and keeps the rows in the session;
confirming calls ``plans.work_plan_import`` in one transaction.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext as _

from duties.models import DutyClause
from jinwei_ip.lib.xlsx import UnsafeWorkbook, load_workbook_safely
from members.models import Unit, UnitAlias, normalize_unit_name

COLUMNS = ["序号", "工作任务", "牵头单位", "配合单位", "完成时限", "依据职责"]
UNIT_SPLIT = re.compile(r"[、，,；;/\s]+")
BRACKET = re.compile(r"[（(]([^（）()]+?)(?:负责|牵头)[）)]\s*[。；;]?\s*$")
DUTY_CODE = re.compile(r"([A-Za-z]+)-(\d+)")
DEFAULT_MAX_UNPACKED = 50 * 1024 * 1024


def example_marks() -> set[str]:
    """What the template writes in the 序号 of its example row (in both
    languages): such a row shows how to fill the sheet and is never a task."""
    return {"示例", _("示例")}


@dataclass
class ParseResult:
    rows: list[dict] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # numbers of the template's example rows, left out of the import
    examples: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def parse_due(value, year: int) -> date | None:
    """Dates as Excel dates or as written in plans: 2026-06-30, 2026/6/30,
    2026年6月30日, 2026年6月底, 2026年6月, 2026年底, 年底, 长期坚持 (= year end)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value).replace(" ", "")
    if not text:
        return None
    if any(word in text for word in ("长期", "持续", "全年")) or text in {
        "年底",
        "年内",
    }:
        return date(year, 12, 31)
    m = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", text)
    if m:
        try:
            return date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    m = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})月?(?:底|末|前)?", text)
    if m and 1 <= int(m[2]) <= 12:
        y, mo = int(m[1]), int(m[2])
        return date(y, mo, calendar.monthrange(y, mo)[1])
    m = re.fullmatch(r"(\d{4})年(?:底|末|内)?", text)
    if m:
        return date(int(m[1]), 12, 31)
    m = re.fullmatch(r"(\d{1,2})月(?:底|末|前)?", text)
    if m and 1 <= int(m[1]) <= 12:
        mo = int(m[1])
        return date(year, mo, calendar.monthrange(year, mo)[1])
    return None


def split_units(text: str) -> list[str]:
    return [p for p in UNIT_SPLIT.split(text or "") if p]


def parse_work_plan(data: bytes, year: int) -> ParseResult:
    """Read and check every row; nothing is written here."""
    from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

    result = ParseResult()
    try:
        wb = load_workbook_safely(
            data,
            max_unpacked=getattr(
                settings, "IMPORT_MAX_UNPACKED_BYTES", DEFAULT_MAX_UNPACKED
            ),
        )
    except UnsafeWorkbook as error:
        result.errors.append(str(error))
        return result
    try:
        ws = wb.worksheets[0]
        # values, not cells (no ReadOnlyCell per cell): with
        # data_only=False a formula comes as its text "=…" or as an ArrayFormula
        # or DataTableFormula
        rows = ws.iter_rows(values_only=True)
        header_row = next(rows, None)
        headers = [_text(v) for v in header_row or []]
        while headers and not headers[-1]:
            headers.pop()
        missing = [c for c in COLUMNS[:5] if c not in headers]
        unknown = [h for h in headers if h and h not in COLUMNS]
        if missing or unknown:
            parts = []
            if missing:
                parts.append(_("缺少列：%(c)s") % {"c": "、".join(missing)})
            if unknown:
                parts.append(_("无法识别的列：%(c)s") % {"c": "、".join(unknown)})
            result.errors.append(
                _("表头不符合模板（%(detail)s）。第1行应依次为：%(cols)s。")
                % {"detail": "；".join(parts), "cols": "、".join(COLUMNS)}
            )
            return result
        index = {name: headers.index(name) for name in COLUMNS if name in headers}
        max_rows = getattr(settings, "IMPORT_MAX_ROWS", 20000)
        seen: dict[tuple[str, int], int] = {}
        seqs: dict[str, int] = {}
        lookups = _Lookups()
        marks = example_marks()
        for number, line in enumerate(rows, start=2):
            if number - 1 > max_rows:
                result.errors.append(_("文件超过 %(n)d 行的限制。") % {"n": max_rows})
                break
            values = {}
            formula = False
            for name, i in index.items():
                value = line[i] if i < len(line) else None
                if (isinstance(value, str) and value.startswith("=")) or isinstance(
                    value, ArrayFormula | DataTableFormula
                ):
                    result.errors.append(
                        _(
                            "第%(row)d行“%(col)s”：单元格含公式，请复制后“粘贴为数值”再导入。"
                        )
                        % {"row": number, "col": name}
                    )
                    formula = True
                values[name] = value
            if formula:
                continue
            if all(_text(v) == "" for v in values.values()):
                continue  # blank lines between sections are common in plans
            if _text(values.get("序号")) in marks:
                # the template's example row, left in by whoever filled it: it
                # would otherwise be assigned as a task (with a past deadline)
                result.examples.append(number)
                continue
            row = _parse_row(number, values, year, lookups, result.errors)
            if row is None:
                continue
            key = (row["title"], row["lead"])
            if key in seen:
                result.errors.append(
                    _(
                        "第%(row)d行：与第%(first)d行重复（同一工作任务、同一牵头单位）。"
                    )
                    % {"row": number, "first": seen[key]}
                )
                continue
            seen[key] = number
            if row["seq"]:
                if row["seq"] in seqs:
                    result.errors.append(
                        _("第%(row)d行“序号”：%(seq)s 与第%(first)d行重复。")
                        % {"row": number, "seq": row["seq"], "first": seqs[row["seq"]]}
                    )
                    continue
                seqs[row["seq"]] = number
            result.rows.append(row)
    finally:
        wb.close()
    if not result.rows and not result.errors:
        if result.examples:
            result.errors.append(
                _(
                    "文件中只有模板的示例行（序号为“示例”）：请在其下方填写任务，"
                    "或改写示例行并填入序号后再导入。"
                )
            )
        else:
            result.errors.append(_("文件中没有任务行：第1行为表头，任务从第2行开始。"))
    return result


class _Lookups:
    """Member units and duty clauses, loaded once per file.

    A plan names the same few dozen units and clauses thousands of times, so rows
    are checked against dicts instead of one query per name or clause code.
    """

    def __init__(self) -> None:
        units = list(Unit.objects.members())  # ordered by (order, id)
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
        self._duties: dict[tuple[str, int], tuple[int, int]] | None = None
        self._spellings: dict[str, Unit | None] = {}
        self._dues: dict[tuple[str, int], date | None] = {}

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

    def due(self, value, year: int) -> date | None:
        """``parse_due``, once per distinct text (a plan repeats 2027年6月底)."""
        if not isinstance(value, str):
            return parse_due(value, year)
        if (value, year) not in self._dues:
            self._dues[value, year] = parse_due(value, year)
        return self._dues[value, year]

    def duty(self, unit_code: str, number: int) -> tuple[int, int] | None:
        """(pk, unit_id) of the clause ``<UNIT CODE>-<number>``, case-insensitive."""
        if self._duties is None:
            self._duties = {}
            rows = DutyClause.objects.values_list(
                "pk", "unit_id", "unit__code", "number"
            )
            for pk, unit_id, code, n in rows:
                self._duties.setdefault((code.lower(), n), (pk, unit_id))
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
    number: int, values: dict, year: int, lookups: _Lookups, errors: list[str]
) -> dict | None:
    ok = True

    def error(col: str, message: str) -> None:
        nonlocal ok
        ok = False
        errors.append(
            _("第%(row)d行“%(col)s”：%(msg)s")
            % {"row": number, "col": col, "msg": message}
        )

    text = _text(values.get("工作任务"))
    lead_text = _text(values.get("牵头单位"))
    co_text = _text(values.get("配合单位"))
    if not text:
        error("工作任务", _("不能为空"))
    body = text
    if text and not lead_text:
        m = BRACKET.search(text)
        if m:
            names = split_units(m[1])
            lead_text, co_text = names[0], "、".join(names[1:])
            body = text[: m.start()].rstrip("，,；; ")
    lead = None
    if not lead_text:
        if text:
            error("牵头单位", _("不能为空（也可在工作任务末尾用“（某某局负责）”注明）"))
    else:
        lead = lookups.unit(lead_text)
        if lead is None:
            error("牵头单位", _("无法识别的单位“%(u)s”") % {"u": lead_text})
    co_units: dict[int, Unit] = {}
    for name in split_units(co_text):
        unit = lookups.unit(name)
        if unit is None:
            error("配合单位", _("无法识别的单位“%(u)s”") % {"u": name})
        elif lead is not None and unit.pk == lead.pk:
            continue
        else:
            co_units.setdefault(unit.pk, unit)
    raw_due = values.get("完成时限")
    due = lookups.due(raw_due, year)
    if due is None:
        if _text(raw_due):
            error(
                "完成时限",
                _("无法识别的日期“%(d)s”（示例：2026-06-30、2026年6月底）")
                % {"d": _text(raw_due)},
            )
        else:
            error("完成时限", _("不能为空"))
    duties = []
    duty_text = _text(values.get("依据职责"))
    for code in DUTY_CODE.findall(duty_text):
        clause = lookups.duty(code[0], int(code[1]))
        if clause is None:
            known = lookups.duty_codes(code[0])
            error(
                "依据职责",
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
                "依据职责",
                _("职责条款“%(c)s”不属于牵头或配合单位") % {"c": "-".join(code)},
            )
        else:
            duties.append(clause[0])
    if not ok:
        return None
    title = body if len(body) <= 60 else body[:58] + "…"
    seq = _text(values.get("序号"))
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
        "due": due.isoformat(),
        "duties": duties,
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
    out = BytesIO()
    book.save(out)
    return out.getvalue()
