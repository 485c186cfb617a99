"""How single cells of a plan are read (tasks.plan_cells): deadlines and unit
phrases in the forms plans use, table-driven."""

from __future__ import annotations

from datetime import date

from django.test import SimpleTestCase

from members.models import Unit
from tasks.importer import parse_work_plan
from tasks.plan_cells import read_due, role_of, split_phrase
from tests.base import PortalTestCase

from .factories import xlsx_bytes


class DueTests(SimpleTestCase):
    def test_deadlines_as_plans_write_them(self):
        cases = {
            "2027-06-30": (date(2027, 6, 30), False),
            "2027/6/30": (date(2027, 6, 30), False),
            "2027.6.30": (date(2027, 6, 30), False),
            "2027年6月30日": (date(2027, 6, 30), False),
            "2027年6月30日前": (date(2027, 6, 30), False),
            "6月30日前": (date(2027, 6, 30), False),
            "６月３０日前": (date(2027, 6, 30), False),  # full-width digits
            "2027年6月底": (date(2027, 6, 30), False),
            "6月底前完成": (date(2027, 6, 30), False),
            "六月底": (date(2027, 6, 30), False),
            "十二月底前": (date(2027, 12, 31), False),
            "2027年2月": (date(2027, 2, 28), False),
            "6月中旬": (date(2027, 6, 20), False),
            "2027年上半年": (date(2027, 6, 30), False),
            "上半年": (date(2027, 6, 30), False),
            "下半年": (date(2027, 12, 31), False),
            "第三季度": (date(2027, 9, 30), False),
            "三季度末": (date(2027, 9, 30), False),
            "2028年第一季度": (date(2028, 3, 31), False),
            "年底前": (date(2027, 12, 31), False),
            "年内": (date(2027, 12, 31), False),
            "2027年底": (date(2027, 12, 31), False),
            "3月至6月": (date(2027, 6, 30), False),
            "2027年3月-6月": (date(2027, 6, 30), False),
            "长期坚持": (date(2027, 12, 31), True),
            "持续推进": (date(2027, 12, 31), True),
            "常态化开展": (date(2027, 12, 31), True),
            "2028年持续推进": (date(2028, 12, 31), True),
        }
        for text, (expected, open_ended) in cases.items():
            with self.subTest(text):
                due = read_due(text, 2027)
                self.assertIsNotNone(due)
                self.assertEqual(due.on, expected)
                self.assertEqual(due.open_ended, open_ended)

    def test_not_deadlines(self):
        for text in ["尽快", "2027-02-30", "13月底", "第五季度", "12", "", "按要求"]:
            with self.subTest(text):
                self.assertIsNone(read_due(text, 2027))


class PhraseTests(SimpleTestCase):
    def test_unit_phrases(self):
        cases = {
            "区市场监管局、市公安局金台分局": [
                ("区市场监管局", None),
                ("市公安局金台分局", None),
            ],
            "（市公安局金台分局牵头，区市场监管局配合）": [
                ("市公安局金台分局", "lead"),
                ("区市场监管局", "co"),
            ],
            "区市场监管局牵头，各成员单位配合": [
                ("区市场监管局", "lead"),
                ("各成员单位", "co"),
            ],
            "由区财政局负责；区商务局、区司法局参与": [
                ("区财政局", "lead"),
                ("区商务局", "co"),
                ("区司法局", "co"),
            ],
            "区市场监管局牵头，各成员单位按职责分工配合": [
                ("区市场监管局", "lead"),
                ("各成员单位", "co"),
            ],
            "区财政局和区商务局": [("区财政局", None), ("区商务局", None)],
            "区司法局（牵头）、区人民法院等": [
                ("区司法局", "lead"),
                ("区人民法院", None),
            ],
        }
        for text, expected in cases.items():
            with self.subTest(text):
                self.assertEqual(split_phrase(text), expected)

    def test_column_names(self):
        for name, role in [
            ("责任单位", "units"),
            ("牵头单位（部门）", "lead"),
            ("完成\n时限", "due"),
            ("*工作任务", "task"),
            ("备注", None),
        ]:
            with self.subTest(name):
                self.assertEqual(role_of(name), role)


class TemplateFormTests(PortalTestCase):
    """The portal's own template, filled as offices fill it: each passes today
    only with the reading above."""

    def test_units_and_deadlines_in_the_template_columns(self):
        result = parse_work_plan(
            xlsx_bytes(
                [
                    [1, "任务甲", "区市场监管局、区财政局", "", "上半年", ""],
                    [2, "任务乙", "金台分局牵头，各成员单位配合", "", "第三季度", ""],
                    [3, "任务丙", "司法局", "—", "6月30日前", ""],
                ]
            ),
            2027,
        )
        self.assertEqual(result.errors, [])
        first, second, third = result.rows
        self.assertEqual(
            (first["lead_name"], first["co_names"]), ("区市场监管局", ["区财政局"])
        )
        self.assertEqual(first["due"], "2027-06-30")
        self.assertEqual(second["lead_name"], "市公安局金台分局")
        self.assertEqual(len(second["co_units"]), Unit.objects.members().count() - 1)
        self.assertEqual(second["due"], "2027-09-30")
        self.assertEqual((third["co_names"], third["due"]), ([], "2027-06-30"))

    def test_a_plus_is_a_formula(self):
        result = parse_work_plan(
            xlsx_bytes([[1, "+1+1", "区司法局", "", "2027-06-30", ""]]), 2027
        )
        self.assertEqual(
            result.errors,
            [
                "第2行“工作任务”：单元格以“+”开头，会被当作公式，请删去该字符，"
                "或复制后“粘贴为数值”再导入。"
            ],
        )
