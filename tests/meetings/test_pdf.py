"""The minutes PDF: page box, embedded fonts, Chinese text, attendance lists, page
numbers, and a renderer that fetches nothing. Read back with pypdf and poppler."""

from __future__ import annotations

import io
import re
import subprocess
import tempfile
from pathlib import Path
from unittest import mock

from django.core.management import CommandError, call_command
from django.urls import reverse
from pypdf import PdfReader

from jinwei_ip.lib import pdf as pdflib
from jinwei_ip.lib.numerals import chinese_numeral
from meetings.models import Attendance
from meetings.pdf import minutes_pdf
from meetings.services import AttendanceRow, attendance_record
from members.models import Person, Unit
from tests.base import PortalTestCase

from . import factories as f

LONG = (
    "会议听取了区市场监管局关于全区知识产权工作情况的汇报，研究部署知识产权强区建设重点工作。"
    "会议强调，各成员单位要按照职责分工，认真落实领导小组确定的工作任务和议定事项。"
)


def pdftotext(data: bytes, *args: str) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as fh:
        fh.write(data)
        fh.flush()
        return subprocess.run(
            ["pdftotext", *args, fh.name, "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout


def pdffonts(data: bytes) -> list[list[str]]:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as fh:
        fh.write(data)
        fh.flush()
        out = subprocess.run(
            ["pdffonts", fh.name], capture_output=True, text=True, check=True
        ).stdout
    return [line.split() for line in out.splitlines()[2:] if line.strip()]


class MinutesPdfTests(PortalTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.meeting = f.meeting(
            cls.office, units=[cls.unit_a, cls.unit_b], title="知识产权保护专题会议"
        )
        people = {p.name: p for p in Person.objects.all()}
        attendance_record(
            meeting=cls.meeting,
            rows=[
                AttendanceRow(
                    person=people["王建华"], status=Attendance.Status.PRESENT
                ),
                AttendanceRow(
                    person=people["李志强"], status=Attendance.Status.PRESENT
                ),
                AttendanceRow(person=people["蒋平"], status=Attendance.Status.PRESENT),
                AttendanceRow(
                    person=people["杨柳"],
                    status=Attendance.Status.ABSENT,
                    substitute=people["沈玉兰"],
                ),
                AttendanceRow(person=people["陈静"], status=Attendance.Status.OBSERVER),
            ],
            by=cls.office,
        )
        narrative = (
            "\n\n".join([LONG] * 14)
            + '\n\n<img src="file:///etc/passwd"> <img src="http://127.0.0.1:9/x.png">'
        )
        cls.minutes = f.advance(
            f.draft(cls.meeting, cls.office, decisions=6, narrative=narrative),
            office=cls.office,
            leader=cls.leader,
            to="issued",
        )
        cls.data = minutes_pdf(cls.minutes)

    def test_a4_pages(self):
        reader = PdfReader(io.BytesIO(self.data))
        self.assertGreaterEqual(len(reader.pages), 3)
        for page in reader.pages:
            box = page.mediabox
            self.assertAlmostEqual(float(box.width), 595.28, delta=1)
            self.assertAlmostEqual(float(box.height), 841.89, delta=1)

    def test_fonts_embedded_cjk(self):
        fonts = pdffonts(self.data)
        self.assertTrue(fonts)
        for row in fonts:
            # columns: name type... encoding emb sub uni object ID
            self.assertEqual(row[-5], "yes", row)
        self.assertTrue(any("CJK" in row[0] for row in fonts), fonts)

    def test_chinese_text_and_attendance_lists(self):
        text = pdftotext(self.data)
        flat = re.sub(r"\s+", "", text)
        self.assertIn("金台区知识产权工作协调领导小组纪要", flat)
        self.assertIn(self.minutes.issue_label, flat)
        self.assertIn("知识产权保护专题会议纪要", flat)
        self.assertIn("会议议定以下事项", flat)
        self.assertIn("一、第1项：开展知识产权联合执法行动。", flat)
        self.assertIn("六、第6项", flat)
        self.assertIn("出席：", flat)
        self.assertIn("王建华", flat)
        self.assertIn("区司法局", flat)
        self.assertIn("蒋平", flat)
        self.assertIn("请假：区财政局", flat)
        self.assertIn("杨柳（沈玉兰代）", flat)
        self.assertIn("列席：", flat)
        self.assertIn("陈静", flat)

    def test_page_numbers_on_outside_edge(self):
        reader = PdfReader(io.BytesIO(self.data))
        for n in range(1, len(reader.pages) + 1):
            page_text = pdftotext(self.data, "-f", str(n), "-l", str(n))
            self.assertRegex(page_text, rf"—\s*{n}\s*—")
        # Where the number sits: right half on odd pages, left half on even pages.
        html = pdftotext(self.data, "-bbox")
        pages = re.findall(r"<page[^>]*>(.*?)</page>", html, re.S)
        for n, page in enumerate(pages[:2], start=1):
            words = re.findall(
                r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>', page
            )
            number = [
                float(x) for x, y, w in words if w.strip() == str(n) and float(y) > 760
            ]
            self.assertTrue(number, f"page {n} number not found")
            if n % 2:
                self.assertGreater(number[0], 400)
            else:
                self.assertLess(number[0], 200)

    def test_imprint_at_the_foot_of_the_last_page(self):
        # GB/T 9704-2012 7.4.1: the 版记 (分送 and 印发 lines) is on the last page,
        # its last rule on the bottom edge of the type area (297 mm - 35 mm).
        self.assert_imprint_at_foot(self.data)

    def test_short_minutes_keep_the_imprint_on_their_one_page(self):
        minutes = f.advance(
            f.draft(
                f.meeting(self.office, units=[self.unit_a], title="短会"),
                self.office,
                decisions=2,
                narrative="会议研究了知识产权保护工作。",
            ),
            office=self.office,
            leader=self.leader,
            to="issued",
        )
        data = minutes_pdf(minutes)
        self.assertEqual(len(PdfReader(io.BytesIO(data)).pages), 1)
        self.assert_imprint_at_foot(data)

    def test_wrapped_distribution_aligns_after_its_colon(self):
        units = list(Unit.objects.members().order_by("order")[:9])
        minutes = f.advance(
            f.draft(f.meeting(self.office, units=units), self.office, decisions=1),
            office=self.office,
            leader=self.leader,
            to="issued",
        )
        html = pdftotext(minutes_pdf(minutes), "-bbox")
        last = re.findall(r"<page[^>]*>(.*?)</page>", html, re.S)[-1]
        lines = re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>', last
        )
        start = next(i for i, (_x, _y, w) in enumerate(lines) if w.startswith("分送"))
        first, second = lines[start], lines[start + 1]
        self.assertGreater(float(second[1]), float(first[1]))  # a second line
        # 14 pt 分送：, three characters: the names start 42 pt in.
        self.assertAlmostEqual(float(second[0]) - float(first[0]), 42, delta=1)

    def assert_imprint_at_foot(self, data: bytes) -> None:
        pages = re.findall(r"<page[^>]*>(.*?)</page>", pdftotext(data, "-bbox"), re.S)
        words = [re.findall(r'yMax="([\d.]+)">([^<]*)</word>', page) for page in pages]
        *earlier, last = words
        for page in earlier:
            self.assertFalse([w for _y, w in page if w.startswith("分送")])
        printed = [float(y) for y, w in last if w.endswith("印发")]
        self.assertTrue(printed, "印发 line not on the last page")
        type_area_bottom = 841.89 - 35 / 25.4 * 72
        self.assertAlmostEqual(printed[-1], type_area_bottom, delta=6)

    def test_user_markup_is_text_and_nothing_is_fetched(self):
        flat = re.sub(r"\s+", "", pdftotext(self.data))
        self.assertIn('<imgsrc="file:///etc/passwd">', flat)
        self.assertNotIn("root:x:0:0", flat)
        reader = PdfReader(io.BytesIO(self.data))
        self.assertEqual(sum(len(p.images) for p in reader.pages), 0)

    def test_download_view(self):
        r = self.get_as(
            self.liaison_a, reverse("meetings:minutes_pdf", args=[self.minutes.pk])
        )
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r["Content-Type"], "application/pdf")
        self.assertIn("attachment", r["Content-Disposition"])
        self.assertEqual(
            len(PdfReader(io.BytesIO(r.content)).pages),
            len(PdfReader(io.BytesIO(self.data)).pages),
        )

    def test_export_command(self):
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "minutes.pdf"
            call_command(
                "export_minutes",
                str(self.meeting.pk),
                "-o",
                str(out),
                stdout=io.StringIO(),
            )
            self.assertTrue(out.read_bytes().startswith(b"%PDF"))
            with self.assertRaises(CommandError):
                call_command(
                    "export_minutes",
                    str(self.meeting.pk),
                    "-o",
                    str(out),
                    "--version",
                    "9",
                )
            planned = f.meeting(self.office, held=False, days=3)
            with self.assertRaises(CommandError):
                call_command("export_minutes", str(planned.pk), "-o", str(out))
            with self.assertRaises(CommandError):
                call_command("export_minutes", "999999", "-o", str(out))

    def test_draft_pdf_marked_as_draft(self):
        m = f.meeting(self.office)
        draft = f.draft(m, self.office)
        text = re.sub(r"\s+", "", pdftotext(minutes_pdf(draft)))
        self.assertIn("草稿", text)
        self.assertIn("未印发", text)


class RendererSafetyTests(PortalTestCase):
    HOSTILE = (
        '<html><head><link rel="stylesheet" href="file:///etc/passwd"></head><body>'
        '<p>正文</p><img src="file:///etc/passwd"><img src="http://127.0.0.1:9/a.png">'
        '<img src="https://example.invalid/b.png"></body></html>'
    )

    def test_fetcher_refuses_everything_but_data_images(self):
        for url in (
            "file:///etc/passwd",
            "http://127.0.0.1:9/a.png",
            "https://example.invalid/b.png",
            "ftp://example.invalid/c",
            "data:text/html,<b>x</b>",
        ):
            with self.assertRaises(pdflib.RefusedURL, msg=url):
                pdflib.safe_url_fetcher.fetch(url)
        png = (
            "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
            "YPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
        )
        response = pdflib.safe_url_fetcher.fetch(png)
        self.assertIsNotNone(response)

    def test_raw_html_images_are_not_fetched(self):
        calls: list[tuple[str, str]] = []
        original = pdflib.SafeURLFetcher.fetch

        def spy(self_, url, headers=None):
            try:
                result = original(self_, url, headers)
            except pdflib.RefusedURL:
                calls.append((url, "refused"))
                raise
            calls.append((url, "fetched"))
            return result

        with mock.patch.object(pdflib.SafeURLFetcher, "fetch", spy):
            data = pdflib.html_to_pdf(self.HOSTILE)
        urls = {u for u, _r in calls}
        self.assertIn("file:///etc/passwd", urls)
        self.assertIn("http://127.0.0.1:9/a.png", urls)
        self.assertEqual({r for _u, r in calls}, {"refused"})
        reader = PdfReader(io.BytesIO(data))
        self.assertEqual(sum(len(p.images) for p in reader.pages), 0)
        self.assertNotIn("root:", pdftotext(data))

    def test_missing_cjk_fonts_explain_how_to_install(self):
        with mock.patch.object(pdflib, "cjk_font_families", return_value=()):
            with self.assertRaises(pdflib.CJKFontsMissing) as e:
                pdflib.render_pdf("pdf/minutes.html", {})
        self.assertIn("apt-get install fonts-noto-cjk", str(e.exception))

    def test_fc_list_finds_noto(self):
        self.assertTrue(any("Noto" in f for f in pdflib.cjk_font_families()))

    def test_numerals(self):
        self.assertEqual(
            [chinese_numeral(n) for n in (1, 9, 10, 11, 20, 23)],
            ["一", "九", "十", "十一", "二十", "二十三"],
        )
