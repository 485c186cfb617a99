"""The founding document as data."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

from duties.models import DutyClause
from members.models import LeadingGroup, Position, Provision, Unit
from members.services import founding_load
from tests.base import PortalTestCase

DOCUMENT = Path(settings.BASE_DIR, "fixtures", "founding_document.txt").read_text(
    encoding="utf-8"
)
FLAT = re.sub(r"\s+", "", DOCUMENT)  # the document wraps lines and pages mid-sentence

UNITS = [
    "区委宣传部",
    "区市场监管局",
    "区教体局",
    "区工信局",
    "市公安局金台分局",
    "区司法局",
    "区财政局",
    "区农业农村局",
    "区商务局",
    "区林业局",
    "区文旅局",
    "区人民法院",
]


class FoundingDataTests(PortalTestCase):
    def test_twelve_member_units_in_document_order(self):
        self.assertEqual(
            list(Unit.objects.members().values_list("name", flat=True)), UNITS
        )

    def test_leading_posts_as_in_the_document(self):
        group = LeadingGroup.objects.get()
        self.assertEqual(group.document_number, "宝金政办字〔2022〕46号")
        self.assertEqual(group.office_unit.name, "区市场监管局")
        posts = dict(
            Position.objects.exclude(kind=Position.Kind.MEMBER).values_list(
                "kind", "post"
            )
        )
        self.assertEqual(posts["leader"], "区政府分管副区长")
        self.assertEqual(posts["deputy"], "区市场监管局局长")
        self.assertEqual(posts["office_director"], "区市场监管局主要负责同志")
        self.assertEqual(Position.objects.filter(kind=Position.Kind.MEMBER).count(), 12)

    def test_every_duty_clause_is_worded_as_in_the_document(self):
        clauses = DutyClause.objects.select_related("unit")
        self.assertEqual(clauses.count(), 42)
        for clause in clauses:
            with self.subTest(clause=clause.code):
                self.assertIn(clause.text, FLAT)
        # Each unit's clauses, joined, give back its whole paragraph.
        for unit in Unit.objects.members():
            joined = "".join(unit.duties.values_list("text", flat=True))
            stripped = re.sub(r"[；;。]", "", unit.duty_summary)
            self.assertEqual(re.sub(r"[；;。]", "", joined), stripped)

    def test_joint_duties_are_marked(self):
        joint = DutyClause.objects.joint()
        self.assertEqual(
            set(joint.values_list("unit__name", flat=True)),
            {
                "区委宣传部",
                "区市场监管局",
                "市公安局金台分局",
                "区农业农村局",
                "区商务局",
                "区文旅局",
                "区人民法院",
            },
        )
        for clause in joint:
            self.assertRegex(clause.text, "组织知识产权(联合执法行动|大型宣传活动)")

    def test_group_tasks_and_rules(self):
        self.assertEqual(Provision.objects.filter(kind=Provision.Kind.TASK).count(), 6)
        rules = " ".join(
            Provision.objects.filter(kind=Provision.Kind.RULE).values_list(
                "text", flat=True
            )
        )
        self.assertIn("原则上每年召开一次", rules)
        self.assertIn("由组长委托副组长召集", rules)

    def test_aliases_resolve_to_the_canonical_unit(self):
        cases = {
            "区教育局": "区教体局",
            "教体局": "区教体局",
            "区文化旅游局": "区文旅局",
            "文旅局": "区文旅局",
            "金台区司法局": "区司法局",
            "司法局": "区司法局",
            " 区市场监督管理局 ": "区市场监管局",
            "市公安局金台分局": "市公安局金台分局",
        }
        for text, name in cases.items():
            with self.subTest(text=text):
                self.assertEqual(Unit.objects.resolve(text).name, name)
        self.assertIsNone(Unit.objects.resolve("区气象局"))
        self.assertIsNone(Unit.objects.resolve(""))

    def test_loading_again_changes_nothing(self):
        counts = (
            Unit.objects.count(),
            DutyClause.objects.count(),
            Position.objects.count(),
        )
        founding_load()
        self.assertEqual(
            counts,
            (
                Unit.objects.count(),
                DutyClause.objects.count(),
                Position.objects.count(),
            ),
        )
