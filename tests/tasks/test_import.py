"""Work-plan import: preview first, all or nothing, Chinese row/column errors, and
files that must never be opened (zip bombs, non-xlsx, formulas)."""

from __future__ import annotations

import zipfile
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jinwei_ip.lib.xlsx import UnsafeWorkbook, check_xlsx
from tasks.importer import parse_due, parse_work_plan
from tasks.models import Task
from tests.base import PortalTestCase

from .factories import work_plan, xlsx_bytes

GOOD_ROWS = [
    [
        1,
        "开展知识产权宣传周活动",
        "区委宣传部",
        "区市场监管局、区教育局",
        "2026-04-30",
        "",
    ],
    [
        2,
        "组织联合执法行动（区市场监管局、市公安局金台分局负责）",
        "",
        "",
        "2026年9月底",
        "SCJGJ-4",
    ],
    [3, "落实知识产权资助资金", "金台区财政局", "", "长期坚持", ""],
]


class ParseTests(PortalTestCase):
    def test_good_file_parses_aliases_and_brackets(self):
        result = parse_work_plan(xlsx_bytes(GOOD_ROWS), 2026)
        self.assertEqual(result.errors, [])
        first, second, third = result.rows
        self.assertEqual(first["lead_name"], "区委宣传部")
        self.assertEqual(first["co_names"], ["区市场监管局", "区教体局"])  # alias
        self.assertEqual(second["lead_name"], "区市场监管局")
        self.assertEqual(second["co_names"], ["市公安局金台分局"])
        self.assertEqual(second["description"], "组织联合执法行动")
        self.assertEqual(second["due"], "2026-09-30")
        self.assertEqual(len(second["duties"]), 1)
        self.assertEqual(third["lead_name"], "区财政局")
        self.assertEqual(third["due"], "2026-12-31")

    def test_dates(self):
        from datetime import date

        self.assertEqual(parse_due("2026/6/1", 2026), date(2026, 6, 1))
        self.assertEqual(parse_due("2026年2月", 2026), date(2026, 2, 28))
        self.assertEqual(parse_due("6月底", 2026), date(2026, 6, 30))
        self.assertIsNone(parse_due("尽快", 2026))
        self.assertIsNone(parse_due("2026-02-30", 2026))

    def errors_for(self, data: bytes) -> list[str]:
        result = parse_work_plan(data, 2026)
        self.assertFalse(result.ok)
        return result.errors

    def test_wrong_headers(self):
        errors = self.errors_for(
            xlsx_bytes([GOOD_ROWS[0]], header=["编号", "任务", "牵头", "配合", "时间"])
        )
        self.assertEqual(len(errors), 1)
        self.assertIn("表头不符合模板", errors[0])
        self.assertIn("缺少列：序号、工作任务、牵头单位、配合单位、完成时限", errors[0])

    def test_unknown_unit_names_row_and_column(self):
        errors = self.errors_for(
            xlsx_bytes(
                [
                    GOOD_ROWS[0],
                    GOOD_ROWS[1],
                    [3, "气象服务", "区气象局", "", "2026-05-01", ""],
                ]
            )
        )
        self.assertEqual(errors, ["第4行“牵头单位”：无法识别的单位“区气象局”"])

    def test_empty_cells_and_empty_file(self):
        errors = self.errors_for(xlsx_bytes([[1, "", "区委宣传部", "", "", ""]]))
        self.assertIn("第2行“工作任务”：不能为空", errors)
        self.assertIn("第2行“完成时限”：不能为空", errors)
        errors = self.errors_for(xlsx_bytes([]))
        self.assertIn("没有任务行", errors[0])
        # fully blank lines between rows are skipped, not errors
        result = parse_work_plan(
            xlsx_bytes([GOOD_ROWS[0], [None] * 6, GOOD_ROWS[2]]), 2026
        )
        self.assertEqual(result.errors, [])
        self.assertEqual([r["row"] for r in result.rows], [2, 4])

    def test_duplicate_rows(self):
        errors = self.errors_for(xlsx_bytes([GOOD_ROWS[0], [9, *GOOD_ROWS[0][1:]]]))
        self.assertEqual(errors, ["第3行：与第2行重复（同一工作任务、同一牵头单位）。"])

    def test_formula_cell(self):
        errors = self.errors_for(
            xlsx_bytes(
                [
                    [
                        1,
                        '=HYPERLINK("http://evil","点我")',
                        "区委宣传部",
                        "",
                        "2026-05-01",
                        "",
                    ]
                ]
            )
        )
        self.assertEqual(len(errors), 1)
        self.assertIn("第2行“工作任务”：单元格含公式", errors[0])

    def test_zip_bomb(self):
        buffer = BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("[Content_Types].xml", "<Types/>")
            z.writestr("xl/workbook.xml", "<workbook/>")
            z.writestr("xl/worksheets/sheet1.xml", b"\0" * (60 * 1024 * 1024))
        data = buffer.getvalue()
        self.assertLess(len(data), 200 * 1024)
        with self.assertRaises(UnsafeWorkbook):
            check_xlsx(data)
        errors = self.errors_for(data)
        self.assertIn("解压后过大", errors[0])
        # under the total limit but absurdly compressed: refused as well
        buffer = BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("[Content_Types].xml", "<Types/>")
            z.writestr("xl/workbook.xml", "<workbook/>")
            z.writestr("xl/sharedStrings.xml", b"A" * (20 * 1024 * 1024))
        self.assertIn("压缩比异常", self.errors_for(buffer.getvalue())[0])

    def test_not_an_xlsx(self):
        self.assertIn("不是 Excel 工作簿", self.errors_for(b"%PDF-1.4 hello")[0])
        buffer = BytesIO()
        with zipfile.ZipFile(buffer, "w") as z:
            z.writestr("readme.txt", "hi")
        self.assertIn("不是 Excel 工作簿", self.errors_for(buffer.getvalue())[0])

    def test_defusedxml_is_used(self):
        from openpyxl.xml import DEFUSEDXML

        self.assertTrue(DEFUSEDXML)


class ImportPageTests(PortalTestCase):
    def setUp(self):
        self.plan = work_plan(self.office)
        self.url = reverse("tasks:plan_import", args=[self.plan.pk])
        self.confirm = reverse("tasks:plan_import_confirm", args=[self.plan.pk])

    def upload(self, data: bytes, name: str = "计划.xlsx"):
        return self.post_as(
            self.office, self.url, {"file": SimpleUploadedFile(name, data)}
        )

    def test_preview_then_confirm_writes_everything(self):
        response = self.upload(xlsx_bytes(GOOD_ROWS))
        self.assertContains(response, "预览：共 3 项任务")
        self.assertContains(response, "市公安局金台分局")
        self.assertFalse(Task.objects.exists())  # preview writes nothing
        response = self.client.post(self.confirm)
        self.assertRedirects(response, self.plan.get_absolute_url())
        tasks = Task.objects.filter(plan=self.plan).order_by("code")
        self.assertEqual(tasks.count(), 3)
        second = Task.objects.get(code="2026-计划-2")
        self.assertEqual(second.lead_unit.code, "scjgj")
        self.assertEqual([u.code for u in second.co_units.all()], ["gaj"])
        from members.models import User

        police = User.objects.filter(unit__code="gaj").first()
        if police is not None:
            self.assertTrue(police.has_perm("tasks.report_task", second))
        # the session is consumed: a second confirm writes nothing
        self.client.post(self.confirm)
        self.assertEqual(Task.objects.count(), 3)

    def test_bad_files_write_nothing(self):
        bad = {
            "wrong headers": xlsx_bytes([GOOD_ROWS[0]], header=["a", "b"]),
            "unknown unit": xlsx_bytes([[1, "x", "区气象局", "", "2026-01-01", ""]]),
            "formula": xlsx_bytes([[1, "=1+1", "区委宣传部", "", "2026-01-01", ""]]),
            "not xlsx": b"just text",
        }
        for label, data in bad.items():
            with self.subTest(label):
                response = self.upload(data)
                self.assertContains(response, "未导入任何数据")
                self.assertNotContains(response, "确认导入")
                self.client.post(self.confirm)
                self.assertFalse(Task.objects.exists())
        response = self.upload(b"x", name="plan.csv")
        self.assertContains(response, "只接受 Excel 工作簿")
        with self.settings(IMPORT_MAX_BYTES=100):
            response = self.upload(xlsx_bytes(GOOD_ROWS))
        self.assertContains(response, "大小限制")
        with self.settings(IMPORT_MAX_ROWS=2):
            response = self.upload(xlsx_bytes(GOOD_ROWS))
        self.assertContains(response, "超过 2 行的限制")
        self.assertFalse(Task.objects.exists())

    def test_only_office(self):
        self.assertEqual(self.get_as(self.leader, self.url).status_code, 403)
        self.assertEqual(self.get_as(self.liaison_a, self.url).status_code, 403)
        self.assertEqual(self.get_as(self.office, self.url).status_code, 200)
        self.assertEqual(self.get_as(self.office, self.confirm).status_code, 405)
