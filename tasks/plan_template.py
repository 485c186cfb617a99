"""The workbook the office fills in to import a work plan: the importer's
columns, one example row (never imported: its 序号 is 示例) and a sheet of notes
on how cells may be written."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .importer import COLUMNS
from .plan_cells import accepted_names


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
