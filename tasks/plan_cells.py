"""How the cells of a plan are read: column names, deadlines and units as offices
write them. Pure functions over text (units are resolved by a callable), so
each form is tested on its own; ``tasks.importer`` applies them row by row.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l


def cell_text(value) -> str:
    """A cell's value as text: stripped, a whole float without its .0."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


# --- columns ---------------------------------------------------------------

# role -> (the name the portal's template uses, other names accepted). Names are
# compared after ``header_key`` (spaces, line breaks, *, and bracketed remarks
# such as “（部门）” removed).
ROLES: dict[str, tuple[str, tuple[str, ...]]] = {
    "seq": ("序号", ("编号", "序", "项次", "No", "No.", "NO", "NO.")),
    "task": (
        "工作任务",
        (
            "任务",
            "重点任务",
            "主要任务",
            "具体任务",
            "任务内容",
            "工作内容",
            "工作事项",
            "任务事项",
            "重点工作",
            "主要工作",
            "工作措施",
            "具体措施",
            "主要措施",
            "任务措施",
            "任务名称",
            "事项",
        ),
    ),
    "lead": ("牵头单位", ("牵头部门", "牵头", "主责单位", "主责部门")),
    "co": (
        "配合单位",
        ("配合部门", "配合", "协办单位", "协办部门", "参与单位", "参与部门"),
    ),
    "units": (
        "责任单位",
        (
            "责任部门",
            "负责单位",
            "负责部门",
            "承办单位",
            "承办部门",
            "实施单位",
            "落实单位",
            "责任主体",
            "责任分工",
        ),
    ),
    "due": (
        "完成时限",
        (
            "完成时间",
            "时限",
            "时间",
            "时间节点",
            "时限要求",
            "时间要求",
            "完成期限",
            "截止时间",
            "截止日期",
            "进度安排",
            "时间安排",
        ),
    ),
    "duty": ("依据职责", ("职责依据", "职责条款", "职责编号", "对应职责")),
    "category": ("类别", ("分类", "任务类别", "工作类别", "类型", "重点领域", "领域")),
}
ROLE_LABELS = {
    "seq": _l("序号"),
    "task": _l("工作任务"),
    "lead": _l("牵头单位"),
    "co": _l("配合单位"),
    "units": _l("责任单位"),
    "due": _l("完成时限"),
    "duty": _l("依据职责"),
    "category": _l("类别"),
}


def header_key(value) -> str:
    text = unicodedata.normalize("NFKC", str(value or ""))
    text = re.sub(r"\(.*?\)|\[.*?\]|【.*?】", "", text)
    return re.sub(r"[\s*※:：]+", "", text)


NAME_ROLES: dict[str, str] = {
    header_key(name): role
    for role, (main, others) in ROLES.items()
    for name in (main, *others)
}


def role_of(value) -> str | None:
    return NAME_ROLES.get(header_key(value)) if value not in (None, "") else None


def accepted_names() -> list[tuple[str, str]]:
    """(role label, accepted names) for the import page and the template."""
    return [
        (str(ROLE_LABELS[role]), "、".join((main, *others)))
        for role, (main, others) in ROLES.items()
    ]


# --- deadlines -------------------------------------------------------------

OPEN_ENDED = re.compile(r"长期|持续|常态|长效|经常性|贯穿全年|全年|每年|每季度|每月")
CN_NUMBERS = {
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
    "十一": 11,
    "十二": 12,
}
CN_MONTH = re.compile(r"(十[一二]?|[一二三四五六七八九])(?=月)")
SUFFIX = re.compile(r"(?:前后|之前|以前|前|完成|前完成|底前完成|内完成|止)+$")


@dataclass
class Due:
    on: date
    # how the text was read, when it is not a date written out: 上半年 → 6月30日
    note: str = ""
    # 长期坚持 / 持续推进: no deadline in the plan; the task gets the year's end
    open_ended: bool = False


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def read_due(value, year: int) -> Due | None:
    """A deadline as plans write it; None if it is not one.

    Dates: 2027-06-30, 2027/6/30, 2027.6.30, 2027年6月30日(前), 6月30日前. Months:
    2027年6月(底), 6月底, 六月底, 6月上旬/中旬/下旬 (10th, 20th, month end).
    Periods: 上半年/年中 (6-30), 下半年/年底(前)/年内/年末 (12-31), 第三季度/三季度末
    (quarter end), 2027年 (12-31). Ranges (3月至6月): the end. Words without a
    deadline (长期坚持, 持续推进, 常态化, 全年): the year's end, marked open-ended.
    A year left out is ``year`` (the plan's).
    """
    if isinstance(value, datetime):
        return Due(value.date())
    if isinstance(value, date):
        return Due(value)
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(value or "")))
    if not text:
        return None
    written = re.search(r"(\d{4})年", text) or re.match(r"(\d{4})[-/.]", text)
    base = int(written[1]) if written else year
    if OPEN_ENDED.search(text):
        end = date(base, 12, 31)
        return Due(
            end,
            _("无固定时限，按 %(y)d 年底（%(d)s）督办") % {"y": base, "d": end},
            open_ended=True,
        )
    # a range (3月至6月, 2027年3月—2027年6月): its end, in the range's year
    parts = re.split(r"至|到|—|–|~|(?<=[月日])-", text)
    text = parts[-1] or text
    text = CN_MONTH.sub(lambda m: str(CN_NUMBERS[m[1]]), text)
    text = SUFFIX.sub("", text) or text
    try:
        return _read_due(text, base)
    except ValueError:  # 2027-02-30, month 13
        return None


def _read_due(text: str, year: int) -> Due | None:
    m = re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", text)
    if m:
        return Due(date(int(m[1]), int(m[2]), int(m[3])))
    m = re.fullmatch(r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})[日号]?", text)
    if m:
        return Due(date(int(m[1] or year), int(m[2]), int(m[3])))
    m = re.fullmatch(
        r"(?:(\d{4})[-/.年])?(\d{1,2})月?(上旬|中旬|下旬|底|末|份|内)?", text
    )
    if m and (m[1] or "月" in text):
        y, mo = int(m[1] or year), int(m[2])
        if m[3] == "上旬":
            return Due(date(y, mo, 10), _("上旬按10日计"))
        if m[3] == "中旬":
            return Due(date(y, mo, 20), _("中旬按20日计"))
        return Due(_month_end(y, mo))
    m = re.fullmatch(r"(?:(\d{4})年)?(上半年|年中)(?:底|末)?", text)
    if m:
        return Due(date(int(m[1] or year), 6, 30), _("上半年按6月30日计"))
    m = re.fullmatch(r"(?:(\d{4})年)?(下半年|年底|年末|年内|年终|底|末|内)?", text)
    if m and text:
        word = m[2] if m[2] and len(m[2]) > 1 else _("年底")
        return Due(
            date(int(m[1] or year), 12, 31), _("%(w)s按12月31日计") % {"w": word}
        )
    m = re.fullmatch(r"(?:(\d{4})年)?第?([一二三四1-4])季度(?:末|底|内)?", text)
    if m:
        quarter = CN_NUMBERS.get(m[2]) or int(m[2])
        end = _month_end(int(m[1] or year), quarter * 3)
        return Due(end, _("第%(q)d季度末") % {"q": quarter})
    return None


# --- units -----------------------------------------------------------------

LEAD_WORDS = ("牵头负责", "牵头", "负责", "主责", "主办")
CO_WORDS = ("配合落实", "配合", "参与", "协助", "协同", "协办")
MARK = "|".join(LEAD_WORDS + CO_WORDS)
CLAUSE_MARK = re.compile(rf"^(?:由)?(.*?)(?:[(]?({MARK})[)]?)(?:单位|部门)?$")
NAME_MARK = re.compile(rf"^(.*?)[(]({MARK})[)]$")
CLAUSES = re.compile(r"[,;。]+")
NAMES = re.compile(r"[、/\s]+|和(?=区|市)")
ALL_MEMBERS = re.compile(
    r"^(?:领导小组)?(?:各|其他|其余|全体)?(?:领导小组)?成员单位$|^各成员单位$"
)
UNITS_IN_TEXT = re.compile(rf"[(]([^()]*?(?:{MARK})[^()]*?)[)]\s*[;。]?\s*$")


@dataclass
class Units:
    lead: object | None = None  # a Unit
    co: list = field(default_factory=list)  # Units, lead left out, in file order
    unknown: list[str] = field(default_factory=list)
    # how the text was read, for the preview
    notes: list[str] = field(default_factory=list)
    all_members: bool = False


def _clean_name(name: str) -> str:
    name = name.strip(" 、,;。")
    name = re.sub(r"(?:按|按照|根据)(?:各自)?职责(?:分工)?$", "", name)
    return re.sub(r"(?:等|等单位|等部门|为)$", "", name)


def split_phrase(text: str) -> list[tuple[str, str | None]]:
    """(name, "lead" | "co" | None) in the order written.

    “区市场监管局、市公安局金台分局” → both unmarked; “（市公安局金台分局牵头，
    区市场监管局配合）”; “区市场监管局牵头，各成员单位配合”; “区市场监管局（牵头）、
    区财政局”.
    """
    text = unicodedata.normalize("NFKC", text or "").strip()
    outer = re.fullmatch(r"[(]([^()]*(?:\([^()]*\)[^()]*)*)[)]", text)
    if outer:
        text = outer[1]
    found: list[tuple[str, str | None]] = []
    for clause in CLAUSES.split(text):
        clause = clause.strip()
        if not clause:
            continue
        clause_role = None
        m = CLAUSE_MARK.match(clause)
        if m and m[1] and not NAME_MARK.match(clause):
            clause, clause_role = m[1], ("lead" if m[2] in LEAD_WORDS else "co")
        elif clause.startswith("由"):
            clause = clause[1:]
        for name in NAMES.split(clause):
            role = clause_role
            own = NAME_MARK.match(name)
            if own:
                name, role = own[1], ("lead" if own[2] in LEAD_WORDS else "co")
            name = _clean_name(name)
            if name:
                found.append((name, role))
    return found


def read_units(
    text: str, resolve: Callable[[str], object | None], members: list
) -> Units:
    """Lead and co-units of a phrase; the first lead named leads (the first unit
    when none is marked), every other unit co-operates. “各成员单位” is every
    member unit but the lead. ``resolve`` maps a name (short forms, aliases) to a
    Unit or None."""
    result = Units()
    names = split_phrase(text)
    leads = [n for n, role in names if role == "lead"]
    unmarked = [n for n, role in names if role is None]
    lead_name = (leads or unmarked or [None])[0]
    if len(leads) > 1:
        result.notes.append(
            _("写有多个牵头单位，第一个“%(u)s”为牵头单位，其余作为配合单位")
            % {"u": lead_name}
        )
    elif not leads and len(unmarked) > 1:
        result.notes.append(_("第一个单位为牵头单位"))
    co_names = [n for n, _role in names if n != lead_name]
    if lead_name is not None:
        if ALL_MEMBERS.match(lead_name):
            result.unknown.append(lead_name)
        else:
            result.lead = resolve(lead_name)
            if result.lead is None:
                result.unknown.append(lead_name)
    seen = {result.lead.pk} if result.lead is not None else set()
    for name in co_names:
        if ALL_MEMBERS.match(name):
            result.all_members = True
            result.notes.append(
                _("“%(w)s”即牵头单位以外的全部成员单位（%(n)d个）")
                % {"w": name, "n": len(members) - (1 if result.lead else 0)}
            )
            units = members
        else:
            unit = resolve(name)
            if unit is None:
                result.unknown.append(name)
                continue
            units = [unit]
        for unit in units:
            if unit.pk not in seen:
                seen.add(unit.pk)
                result.co.append(unit)
    return result


def units_in_text(text: str) -> tuple[str, str] | None:
    """(task text without it, unit phrase) when the text ends with the units in
    brackets: “组织联合执法行动（区市场监管局、市公安局金台分局负责）”."""
    normal = unicodedata.normalize("NFKC", text)
    m = UNITS_IN_TEXT.search(normal)
    if not m:
        return None
    # the same position in the original text (NFKC keeps CJK text's length
    # except for full-width forms, which are one character each way)
    body = text[: m.start()] if len(normal) == len(text) else normal[: m.start()]
    return body.rstrip("，,；; "), m[1]
