"""The task ledger (督办台账) as a PDF: same filter and same tasks as the Excel
ledger, A4 landscape, read back with pypdf and poppler's pdftotext."""

from __future__ import annotations

import io
import re
import subprocess
import tempfile
from unittest import mock
from urllib.parse import quote

from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from jinwei_ip.lib import pdf as pdflib
from tasks import ledger_pdf
from tests.base import PortalTestCase

from .factories import make_task

URL = reverse("tasks:export_pdf")


class Text(str):
    """pdftotext's output without the whitespace it adds at wrapped lines, and
    its words: ``code in text.words`` tells 2026-计划-1 from 2026-计划-1-2."""

    words: set[str]


def pdftotext(data: bytes) -> Text:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as fh:
        fh.write(data)
        fh.flush()
        out = subprocess.run(
            ["pdftotext", fh.name, "-"], capture_output=True, text=True, check=True
        ).stdout
    text = Text(re.sub(r"\s+", "", out))
    text.words = set(out.split())
    return text


class LedgerPdfTests(PortalTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.task_a = make_task(
            by=cls.office, lead=cls.unit_a, co=[cls.unit_b], title="建设公共法律服务站"
        )
        cls.task_b = make_task(by=cls.office, lead=cls.unit_b, title="落实奖励资金")
        cls.co_handled = make_task(
            by=cls.office, lead=cls.unit_b, co=[cls.unit_a], title="联合宣传活动"
        )
        cls.task_out = make_task(by=cls.office, lead=cls.unit_out, title="林业局任务")

    def setUp(self) -> None:
        cache.clear()  # the rate limit counts across tests otherwise

    def pdf_as(self, user, query: str = "") -> tuple[bytes, Text]:
        response = self.get_as(user, URL + query)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertTrue(response.content.startswith(b"%PDF"))
        return response.content, pdftotext(response.content)

    def test_office_gets_the_whole_ledger_in_landscape(self):
        with self.assertLogs("jinwei_ip.audit", "INFO") as logs:
            data, text = self.pdf_as(self.office)
        self.assertIn("督办台账", text)
        for task in (self.task_a, self.task_b, self.co_handled, self.task_out):
            self.assertIn(task.code, text.words)
        self.assertIn("区司法局", text)
        self.assertIn("区林业局", text)
        self.assertIn("建设公共法律服务站", text)
        self.assertIn("状态：未销号", text)  # the ledger's default filter
        self.assertIn("共4项", text)
        self.assertIn("第1页共1页", text)
        self.assertIn("绿灯", text)
        page = PdfReader(io.BytesIO(data)).pages[0]
        self.assertAlmostEqual(float(page.mediabox.width), 841.89, delta=1)
        self.assertAlmostEqual(float(page.mediabox.height), 595.28, delta=1)
        (line,) = [line for line in logs.output if ":jinwei_ip.audit:export " in line]
        self.assertIn("what=task_ledger_pdf", line)
        self.assertIn("user=office", line)

    def test_download_name(self):
        response = self.get_as(self.leader, URL)
        name = f"督办台账-{timezone.localdate():%Y%m%d}.pdf"
        self.assertEqual(
            response["Content-Disposition"],
            f"attachment; filename*=utf-8''{quote(name)}",
        )

    def test_filters_apply(self):
        _data, text = self.pdf_as(self.office, f"?q={self.task_b.code}")
        self.assertIn(self.task_b.code, text.words)
        self.assertNotIn(self.task_a.code, text.words)
        self.assertNotIn(self.task_out.code, text.words)
        self.assertIn(f"搜索：“{self.task_b.code}”", text)
        self.assertIn("共1项", text)
        _data, text = self.pdf_as(self.office, "?unit=lyj&status=")
        self.assertIn(self.task_out.code, text.words)
        self.assertNotIn(self.task_a.code, text.words)
        self.assertIn("单位：区林业局", text)

    def test_liaison_gets_only_their_units_tasks(self):
        _data, text = self.pdf_as(self.liaison_a)
        self.assertIn("区司法局承办的督办任务", text)
        self.assertIn(self.task_a.code, text.words)
        self.assertIn(self.co_handled.code, text.words)  # co-handled counts
        self.assertNotIn(self.task_b.code, text.words)
        self.assertNotIn(self.task_out.code, text.words)
        # asking for another unit's tasks narrows, never widens
        _data, text = self.pdf_as(self.liaison_a, "?unit=lyj")
        self.assertNotIn(self.task_out.code, text.words)
        self.assertIn("没有符合条件的任务", text)

    def test_outsider_and_anonymous(self):
        _data, text = self.pdf_as(self.outsider)
        self.assertIn(self.task_out.code, text.words)
        for task in (self.task_a, self.task_b, self.co_handled):
            self.assertNotIn(task.code, text.words)
        _data, text = self.pdf_as(self.nobody)
        self.assertIn("共0项", text)
        self.assertNotIn(self.task_a.code, text.words)
        self.assertLoginRedirect(self.get_as(None, URL))

    def test_get_only(self):
        self.assertEqual(self.post_as(self.office, URL).status_code, 405)

    def test_over_the_cap_goes_back_to_the_ledger(self):
        with mock.patch.object(ledger_pdf, "MAX_TASKS", 1):
            response = self.get_as(self.office, URL + "?status=&unit=czj")
            self.assertRedirects(
                response,
                reverse("tasks:list") + "?status=&unit=czj",
                fetch_redirect_response=False,
            )
            page = self.client.get(response["Location"])
            self.assertContains(page, "选中 3 项任务")  # led or co-handled
            self.assertContains(page, "最多 1 项")
            self.assertContains(page, "缩小筛选范围")
            # one task is within the cap
            self.pdf_as(self.office, "?q=建设公共法律服务站")

    def test_missing_fonts_is_a_message_not_an_error(self):
        with mock.patch.object(pdflib, "cjk_font_families", return_value=()):
            with self.assertLogs("jinwei_ip.lib.pdf", "ERROR"):
                response = self.get_as(self.office, URL + "?status=closed")
        self.assertRedirects(
            response,
            reverse("tasks:list") + "?status=closed",
            fetch_redirect_response=False,
        )
        page = self.client.get(response["Location"])
        self.assertContains(page, "没有安装中文字体")
        self.assertContains(page, "apt-get install fonts-noto-cjk")

    @override_settings(RATELIMIT_RATES={"pdf": "1/m"})
    def test_rate_limited_with_the_other_pdfs(self):
        self.pdf_as(self.deputy)
        self.assertEqual(self.get_as(self.deputy, URL).status_code, 429)

    def test_button_beside_the_excel_export_keeps_the_filter(self):
        for user in (self.office, self.liaison_a):
            response = self.get_as(user, reverse("tasks:list") + "?status=closed&q=x")
            self.assertContains(response, "导出 PDF 台账")
            self.assertContains(response, "bi-file-earmark-pdf")
            self.assertContains(response, f'href="{URL}?status=closed&amp;q=x"')
        response = self.get_as(self.office, reverse("tasks:list"))
        self.assertContains(response, f'href="{URL}"')
