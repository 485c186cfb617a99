"""Upload and import limits are enforced by the forms, not only by nginx."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from tests.base import PortalTestCase

PDF = b"%PDF-1.4\n" + b"0" * 200


class UploadLimitTests(PortalTestCase):
    def test_evidence_over_the_limit_is_refused_by_the_form(self) -> None:
        from tasks.forms import ProgressReportForm

        def form(size_limit: int) -> ProgressReportForm:
            upload = SimpleUploadedFile("扫描件.pdf", PDF, "application/pdf")
            with override_settings(EVIDENCE_MAX_BYTES=size_limit):
                f = ProgressReportForm(
                    {"text": "已完成", "percent": 50}, {"files": [upload]}
                )
                f.is_valid()
            return f

        self.assertTrue(form(10_000).is_valid())
        too_big = form(100)
        self.assertIn("扫描件.pdf", str(too_big.errors["files"]))
        self.assertIn("大小限制", str(too_big.errors["files"]))

    def test_import_over_the_limit_is_refused_by_the_form(self) -> None:
        from tasks.forms import ImportForm

        upload = SimpleUploadedFile("计划.xlsx", b"PK\x03\x04" + b"0" * 500)
        with override_settings(IMPORT_MAX_BYTES=100):
            form = ImportForm({}, {"file": upload})
            self.assertFalse(form.is_valid())
        self.assertIn("大小限制", str(form.errors["file"]))

    def test_import_row_limit(self) -> None:
        from io import BytesIO

        from openpyxl import Workbook

        from tasks.importer import COLUMNS, parse_work_plan

        wb = Workbook()
        ws = wb.active
        ws.append(COLUMNS)
        for n in range(1, 13):
            ws.append([n, f"任务{n}", "区司法局", "", "2026-12-31", ""])
        data = BytesIO()
        wb.save(data)
        with override_settings(IMPORT_MAX_ROWS=10):
            result = parse_work_plan(data.getvalue(), 2026)
        self.assertTrue(any("10 行" in e for e in result.errors), result.errors)
