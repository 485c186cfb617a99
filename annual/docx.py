"""Next year's plan as an editable Word document (.docx, python-docx) for the
leaders: A4 with the margins of GB/T 9704-2012 (top 37 mm, bottom 35 mm, left
28 mm, right 26 mm), body 仿宋_GB2312 3号 (16 pt) on a fixed 28.95 pt line
(22 lines a page), level-1 headings 黑体, level-2 headings 楷体_GB2312, the
title 方正小标宋简体 2号, page numbers "— 1 —" at the foot.

The headings are Word's own Heading 1 / Heading 2 styles (restyled), so the
navigation pane and a generated table of contents work in the leaders' Word.
"""

from __future__ import annotations

from io import BytesIO

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from jinwei_ip.lib.numerals import chinese_numeral

from .models import Plan

FANGSONG = "仿宋_GB2312"
HEITI = "黑体"
KAITI = "楷体_GB2312"
XIAOBIAOSONG = "方正小标宋简体"
BODY_PT = 16  # 3号
TITLE_PT = 22  # 2号
LINE_PT = 28.95  # 225 mm / 22 lines


def _font(style_or_run, name: str, size: float) -> None:
    font = style_or_run.font
    font.name = name
    font.size = Pt(size)
    font.bold = False
    font.color.rgb = RGBColor(0, 0, 0)
    # Word reads Chinese text's face from w:eastAsia, not from w:ascii.
    rpr = style_or_run.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def _paragraph_format(style, *, indent: bool) -> None:
    fmt = style.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(LINE_PT)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.first_line_indent = Pt(BODY_PT * 2) if indent else Pt(0)


def _styles(document) -> None:
    styles = document.styles
    normal = styles["Normal"]
    _font(normal, FANGSONG, BODY_PT)
    _paragraph_format(normal, indent=True)
    normal.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    for name, face in (("Heading 1", HEITI), ("Heading 2", KAITI)):
        style = styles[name]
        _font(style, face, BODY_PT)
        style.font.italic = False
        _paragraph_format(style, indent=True)
        style.paragraph_format.keep_with_next = True
    title = styles["Title"]
    _font(title, XIAOBIAOSONG, TITLE_PT)
    _paragraph_format(title, indent=False)
    title.paragraph_format.line_spacing = Pt(TITLE_PT * 1.5)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_after = Pt(LINE_PT)
    # the Title style's blue bottom border in the default template
    ppr = title.element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):
        ppr.remove(border)


def _page(document) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.paragraph_format.first_line_indent = Pt(0)
    footer.add_run("— ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    footer._p.append(field)
    footer.add_run(" —")
    for run in footer.runs:
        _font(run, FANGSONG, 14)


def _paragraphs(document, text: str) -> None:
    for line in (text or "").splitlines():
        if line.strip():
            document.add_paragraph(line.strip())


def entry_line(n: int, entry) -> str:
    """1. 开展……（牵头单位：区市场监管局；配合单位：区委宣传部；完成时限：2027年4月30日）"""
    parts = [_("牵头单位：%(u)s") % {"u": entry.lead.name}]
    co = "、".join(u.name for u in entry.co_units.all())
    if co:
        parts.append(_("配合单位：%(u)s") % {"u": co})
    due = entry.due_on
    parts.append(_("完成时限：%(d)s") % {"d": f"{due.year}年{due.month}月{due.day}日"})
    codes = " ".join(d.code for d in entry.duties.all())
    if codes:
        parts.append(_("依据职责：%(c)s") % {"c": codes})
    return f"{n}. {entry.text.strip()}（{'；'.join(parts)}）"


def plan_docx(plan: Plan) -> bytes:
    entries = list(
        plan.entries.select_related("lead").prefetch_related("co_units", "duties__unit")
    )
    document = Document()
    _styles(document)
    _page(document)
    document.add_paragraph(plan.title, style="Title")
    headings = iter(range(1, 10))
    if plan.intro.strip():
        document.add_heading(
            _("%(n)s、总体要求") % {"n": chinese_numeral(next(headings))}, level=1
        )
        _paragraphs(document, plan.intro)
    document.add_heading(
        _("%(n)s、重点任务") % {"n": chinese_numeral(next(headings))}, level=1
    )
    sections: dict[str, list] = {}
    for entry in entries:
        sections.setdefault(entry.section, []).append(entry)
    n = 0
    for i, (section, rows) in enumerate(sections.items(), start=1):
        document.add_heading(f"（{chinese_numeral(i)}）{section}", level=2)
        for entry in rows:
            n += 1
            document.add_paragraph(entry_line(n, entry))
    if plan.requirements.strip():
        document.add_heading(
            _("%(n)s、保障措施") % {"n": chinese_numeral(next(headings))}, level=1
        )
        _paragraphs(document, plan.requirements)
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def plan_filename(plan: Plan) -> str:
    suffix = _("（草案）") if plan.is_draft else ""
    return f"{plan.title}{suffix}.docx".replace("/", "-")
