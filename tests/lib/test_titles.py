"""Official titles break by GB/T 9704-2012 7.3.1: whole words, even lines, a
trapezoid or a diamond. Checked on the function and on the printed PDFs."""

from __future__ import annotations

import subprocess
import tempfile

from django.test import SimpleTestCase

from jinwei_ip.lib.titles import text_em, title_lines
from meetings.pdf import minutes_pdf
from tests.base import PortalTestCase
from tests.meetings import factories as f

PLENARY = "金台区知识产权工作协调领导小组2026年第一次全体会议纪要"


def pdf_lines(data: bytes) -> list[str]:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as fh:
        fh.write(data)
        fh.flush()
        out = subprocess.run(
            ["pdftotext", "-f", "1", "-l", "1", fh.name, "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    return [line.replace(" ", "") for line in out.splitlines() if line.strip()]


class TitleLinesTests(SimpleTestCase):
    def test_short_title_is_one_line(self):
        self.assertEqual(
            title_lines("知识产权保护专题会议纪要"), ["知识产权保护专题会议纪要"]
        )

    def test_plenary_minutes_break_at_a_word(self):
        self.assertEqual(
            title_lines(PLENARY),
            ["金台区知识产权工作协调领导小组", "2026年第一次全体会议纪要"],
        )

    def test_words_dates_and_numbers_stay_whole(self):
        title = "金台区知识产权工作协调领导小组专题会议纪要〔2026〕第3期"
        lines = title_lines(title)
        self.assertEqual("".join(lines), title)
        for whole in ("知识产权", "领导小组", "〔2026〕", "第3期", "会议纪要"):
            self.assertTrue(any(whole in line for line in lines), (whole, lines))

    def test_lines_fit_and_form_a_trapezoid_or_diamond(self):
        title = (
            "金台区知识产权工作协调领导小组关于开展2027年“4·26”"
            "知识产权宣传周活动和铁拳专项行动的工作总结"
        )
        lines = title_lines(title)
        self.assertEqual("".join(lines), title)
        self.assertGreaterEqual(len(lines), 3)
        widths = [text_em(line) for line in lines]
        self.assertTrue(all(w <= 20 for w in widths), lines)
        peak = widths.index(max(widths))
        self.assertEqual(widths[: peak + 1], sorted(widths[: peak + 1]), lines)
        self.assertEqual(widths[peak:], sorted(widths[peak:], reverse=True), lines)
        self.assertIn("“4·26”", "|".join(lines))
        self.assertLessEqual(max(widths) - min(widths), 4, lines)


class MinutesTitleInPdfTests(PortalTestCase):
    def test_the_printed_title_keeps_its_lines(self):
        meeting = f.meeting(
            self.office, units=[self.unit_a], title=PLENARY.removesuffix("纪要")
        )
        minutes = f.draft(meeting, self.office)
        lines = pdf_lines(minutes_pdf(minutes))
        first = lines.index("金台区知识产权工作协调领导小组")
        self.assertEqual(lines[first + 1], "2026年第一次全体会议纪要")
        self.assertNotIn("议纪要", lines)
