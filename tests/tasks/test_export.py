"""The Excel ledger (formula-safe)."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO

from django.urls import reverse
from openpyxl import load_workbook

from jinwei_ip.lib.xlsx import safe_cell
from tasks import extensions, services
from tasks.models import Task
from tests.base import PortalTestCase

from .factories import make_task


class ExportTests(PortalTestCase):
    def test_safe_cell(self):
        for text in ("=1+1", "+86", "-x", "@SUM(A1)", "\tx", "\rx"):
            self.assertEqual(safe_cell(text), "'" + text)
        self.assertEqual(safe_cell("正常"), "正常")
        self.assertEqual(safe_cell(5), 5)

    def test_ledger_is_formula_safe_and_filtered(self):
        task = make_task(
            by=self.office,
            lead=self.unit_a,
            co=[self.unit_b],
            title='=HYPERLINK("http://evil","点我")',
        )
        services.task_sign(task=task, by=self.liaison_a)
        services.progress_report_file(
            task=task, by=self.liaison_a, text="@SUM(1,2) 已完成一半", percent=50
        )
        ext = extensions.extension_request(
            task=task,
            by=self.liaison_a,
            reason="r",
            new_due_on=task.due_on + timedelta(days=10),
        )
        extensions.extension_decide(extension=ext, approve=True, by=self.leader)
        make_task(by=self.office, lead=self.unit_out, title="林业局任务")
        response = self.get_as(self.liaison_a, reverse("tasks:export"))
        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment", response["Content-Disposition"])
        wb = load_workbook(BytesIO(response.content))
        ws = wb.active
        header = [c.value for c in ws[2]]
        self.assertEqual(header[:4], ["序号", "任务编号", "议定事项/任务", "牵头单位"])
        self.assertEqual(ws.freeze_panes, "A3")
        rows = list(ws.iter_rows(min_row=3, values_only=True))
        self.assertEqual(len(rows), 1)  # the unit's own tasks only
        row = rows[0]
        self.assertTrue(row[2].startswith("'=HYPERLINK"))
        self.assertEqual(row[3], "区司法局")
        self.assertEqual(row[4], "区财政局")
        self.assertIn("原定", row[5])
        self.assertEqual(row[6], "'@SUM(1,2) 已完成一半")
        for cell in ws[3]:
            self.assertNotEqual(cell.data_type, "f")
        office = load_workbook(
            BytesIO(
                self.get_as(self.office, reverse("tasks:export") + "?q=林业").content
            )
        )
        self.assertEqual(len(list(office.active.iter_rows(min_row=3))), 1)
        # the caption says what was selected; the header has filter buttons
        caption = office.active["A1"].value
        self.assertIn("筛选条件：", caption)
        self.assertIn("林业", caption)
        self.assertIn("共 1 项", caption)
        self.assertEqual(office.active.auto_filter.ref, "A2:I3")

    def test_a_shortened_title_is_not_repeated(self):
        text = (
            "组织开展知识产权保护宣传进企业、进校园、进社区活动，形成工作简报报送办公室"
        )
        task = make_task(by=self.office, lead=self.unit_a)
        Task.objects.filter(pk=task.pk).update(title=text[:20] + "…", description=text)
        other = make_task(by=self.office, lead=self.unit_b, title="建设工作站")
        Task.objects.filter(pk=other.pk).update(description="在三个街道各建一处。")
        ws = load_workbook(
            BytesIO(self.get_as(self.office, reverse("tasks:export")).content)
        ).active
        subjects = {row[1]: row[2] for row in ws.iter_rows(min_row=3, values_only=True)}
        self.assertEqual(subjects[task.code], text)
        self.assertEqual(subjects[other.code], "建设工作站\n在三个街道各建一处。")


class ExportLanguageTests(PortalTestCase):
    def test_english_ledger_has_english_headers(self):
        from django.conf import settings
        from django.utils import translation

        # the request activates English in this thread; later tests expect Chinese
        self.addCleanup(translation.activate, translation.get_language())
        make_task(by=self.office, lead=self.unit_a)
        self.client.force_login(self.office)
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        ws = load_workbook(
            BytesIO(self.client.get(reverse("tasks:export")).content)
        ).active
        self.assertEqual(
            [c.value for c in ws[2]][:4],
            ["No.", "Task number", "Decided matter/task", "Lead unit"],
        )
