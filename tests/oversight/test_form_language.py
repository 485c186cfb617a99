"""The dashboard's and bulletin form's years, months and quarters follow the
page's language (the English pages read 2026, January, Q1)."""

from __future__ import annotations

from django.test import SimpleTestCase
from django.utils import translation

from oversight.forms import _month_choices, _quarter_choices, year_choices


class FormLanguageTests(SimpleTestCase):
    def test_chinese(self):
        with translation.override("zh-hans"):
            self.assertTrue(year_choices()[0][1].endswith("年"))
            self.assertEqual(_month_choices()[1], ("1", "一月"))
            self.assertEqual(_quarter_choices()[3], ("3", "第三季度"))

    def test_english(self):
        with translation.override("en"):
            year, label = year_choices()[0]
            self.assertEqual(label, year)
            self.assertEqual(_month_choices()[1], ("1", "January"))
            self.assertEqual(_quarter_choices()[3], ("3", "Q3"))
