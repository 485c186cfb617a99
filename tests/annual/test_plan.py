"""Next year's plan: drafted from the submissions, edited and reordered in the
browser, exported as .docx (read back with python-docx), approved, and turned
into plan tasks through the plan importer's checks, all or nothing."""

from __future__ import annotations

from datetime import date
from io import BytesIO

from django.core.exceptions import ValidationError
from django.urls import reverse
from docx import Document
from docx.shared import Pt

from annual import services_plan
from annual.models import Plan, PlanEntry
from duties.models import DutyClause
from members.models import Unit
from tasks.access import LEAD, VIEW
from tasks.models import Task, WorkPlan
from tests.base import PortalTestCase

from .factories import open_round, sub, submit


class PlanTests(PortalTestCase):
    def setUp(self):
        self.round = open_round(self.office)
        submit(sub(self.round, self.unit_b), self.liaison_b, plan=1)
        submit(sub(self.round, self.unit_a), self.liaison_a, plan=2)
        fill_only = sub(self.round, self.unit_out)  # drafting: not in the plan
        self.assertFalse(fill_only.is_submitted)
        self.plan = services_plan.plan_create(round_=self.round, by=self.office)

    def test_drafted_from_submitted_units_in_the_founding_order(self):
        entries = list(self.plan.entries.select_related("lead"))
        self.assertEqual(self.plan.year, 2027)
        self.assertEqual(len(entries), 3)
        order = sorted([self.unit_a, self.unit_b], key=lambda u: u.order)
        self.assertEqual(entries[0].lead, order[0])
        self.assertEqual(entries[-1].lead, order[-1])
        self.assertTrue(all(e.source_id for e in entries))

    def test_docx_holds_the_items_and_the_official_styles(self):
        entry = self.plan.entries.first()
        entry.co_units.set([self.unit_out])
        data = self._docx(self.office)
        document = Document(BytesIO(data))
        text = "\n".join(p.text for p in document.paragraphs)
        self.assertIn("2027年金台区知识产权强区建设工作计划", text)
        for e in self.plan.entries.all():
            self.assertIn(e.text, text)
        self.assertIn(f"配合单位：{self.unit_out.name}", text)
        self.assertIn("完成时限：2027年6月1日", text)
        normal = document.styles["Normal"]
        self.assertEqual(normal.font.size, Pt(16))
        self.assertEqual(normal.font.name, "仿宋_GB2312")
        east_asia = normal.element.rPr.rFonts.get(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"
        )
        self.assertEqual(east_asia, "仿宋_GB2312")
        self.assertEqual(document.styles["Heading 1"].font.name, "黑体")
        self.assertEqual(document.styles["Heading 2"].font.name, "楷体_GB2312")
        headings = [p for p in document.paragraphs if p.style.name == "Heading 1"]
        self.assertEqual(headings[0].text, "一、总体要求")
        self.assertTrue(any(p.style.name == "Heading 2" for p in document.paragraphs))
        section = document.sections[0]
        self.assertEqual(
            (round(section.page_width.mm), round(section.page_height.mm)), (210, 297)
        )
        self.assertEqual(
            (
                round(section.top_margin.mm),
                round(section.bottom_margin.mm),
                round(section.left_margin.mm),
                round(section.right_margin.mm),
            ),
            (37, 35, 28, 26),
        )

    def _docx(self, user) -> bytes:
        response = self.get_as(user, reverse("annual:plan_docx", args=[self.round.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertIn("wordprocessingml", response["Content-Type"])
        return response.content

    def test_page_matrix(self):
        for name in ("annual:plan", "annual:plan_docx"):
            url = reverse(name, args=[self.round.pk])
            self.assertLoginRedirect(self.get_as(None, url))
            self.assertEqual(self.get_as(self.leader, url).status_code, 200)
            self.assertEqual(self.get_as(self.liaison_a, url).status_code, 404)
        edit = reverse("annual:plan_edit", args=[self.round.pk])
        self.assertEqual(self.get_as(self.leader, edit).status_code, 403)
        self.assertEqual(self.get_as(self.liaison_a, edit).status_code, 404)
        self.assertEqual(self.get_as(self.office, edit).status_code, 200)
        for name in ("annual:plan_approve", "annual:plan_tasks"):
            url = reverse(name, args=[self.round.pk])
            self.assertEqual(self.get_as(self.office, url).status_code, 405)
            self.assertEqual(self.post_as(self.leader, url).status_code, 403)
            self.assertEqual(self.post_as(self.liaison_a, url).status_code, 404)
        create = reverse("annual:plan_create", args=[self.round.pk])
        self.assertEqual(self.post_as(self.leader, create).status_code, 403)

    def test_the_office_edits_reorders_adds_and_removes_entries(self):
        entries = list(self.plan.entries.order_by("order"))
        clause = DutyClause.objects.filter(unit=self.unit_a).first()
        data = {
            "title": "2027年计划（草案）",
            "intro": "总体要求",
            "requirements": "保障措施",
            "version": self.plan.edit_version,
            "entries-TOTAL_FORMS": str(len(entries) + 1),
            "entries-INITIAL_FORMS": str(len(entries)),
        }
        for i, e in enumerate(entries):
            data.update(
                {
                    f"entries-{i}-pk": e.pk,
                    f"entries-{i}-section": e.section,
                    f"entries-{i}-text": e.text,
                    f"entries-{i}-lead": e.lead_id,
                    f"entries-{i}-due_on": e.due_on.isoformat(),
                    f"entries-{i}-ORDER": str(len(entries) - i),  # reversed
                }
            )
        data["entries-0-DELETE"] = "on"  # drop the first
        n = len(entries)
        data.update(
            {
                f"entries-{n}-section": "执法",
                f"entries-{n}-text": "新增：开展联合执法",
                f"entries-{n}-lead": self.unit_a.pk,
                f"entries-{n}-co_units": [self.unit_b.pk],
                f"entries-{n}-duties": [clause.pk],
                f"entries-{n}-due_on": "2027-09-30",
                f"entries-{n}-ORDER": "0",
            }
        )
        response = self.post_as(
            self.office, reverse("annual:plan_edit", args=[self.round.pk]), data
        )
        self.assertRedirects(response, self.plan.get_absolute_url())
        texts = list(self.plan.entries.order_by("order").values_list("text", flat=True))
        self.assertEqual(
            texts, ["新增：开展联合执法", entries[2].text, entries[1].text]
        )
        added = PlanEntry.objects.get(text="新增：开展联合执法")
        self.assertEqual(list(added.co_units.all()), [self.unit_b])
        # a clause of neither the lead nor a co-unit is refused, naming the entry
        other = DutyClause.objects.filter(unit=self.unit_out).first()
        data = {**data, "version": self.plan.edit_version + 1}
        data[f"entries-{n}-duties"] = [other.pk]
        self.plan.refresh_from_db()
        data["version"] = self.plan.edit_version
        response = self.post_as(
            self.office, reverse("annual:plan_edit", args=[self.round.pk]), data
        )
        self.assertContains(response, "不属于牵头或配合单位")

    def test_approved_plan_becomes_plan_tasks_in_one_step(self):
        url = reverse("annual:plan_tasks", args=[self.round.pk])
        response = self.post_as(self.office, url)
        self.assertRedirects(response, self.plan.get_absolute_url())
        self.assertFalse(WorkPlan.objects.filter(year=2027).exists())
        response = self.post_as(
            self.office,
            reverse("annual:plan_approve", args=[self.round.pk]),
            {
                "approved_on": "2026-01-15",
                "note": "经领导小组全体会议审议通过",
                "version": self.plan.edit_version,
            },
        )
        self.plan.refresh_from_db()
        self.assertEqual(self.plan.status, Plan.Status.APPROVED)
        response = self.post_as(self.office, url)
        self.plan.refresh_from_db()
        self.assertEqual(self.plan.status, Plan.Status.TASKED)
        work_plan = self.plan.work_plan
        self.assertRedirects(response, work_plan.get_absolute_url())
        tasks = list(work_plan.tasks.order_by("code"))
        self.assertEqual(len(tasks), 3)
        self.assertEqual(tasks[0].code, "2027-计划-1")
        first = self.plan.entries.order_by("order").first()
        task = Task.objects.get(plan=work_plan, description=first.text)
        self.assertEqual(task.lead_unit, first.lead)
        self.assertEqual(task.due_on, first.due_on)
        # the importer's writer: grants and history as task_assign writes them
        from members.access import has_object_perm

        lead_user = self.liaison_a if first.lead == self.unit_a else self.liaison_b
        self.assertTrue(has_object_perm(lead_user, LEAD, task))
        self.assertFalse(has_object_perm(self.outsider, VIEW, task))
        self.assertEqual(task.history.count(), 1)
        # and not twice
        response = self.post_as(self.office, url)
        self.assertEqual(WorkPlan.objects.filter(year=2027).count(), 1)

    def test_a_refused_entry_writes_nothing(self):
        services_plan.plan_approve(
            plan=self.plan,
            approved_on=date(2026, 1, 15),
            note="审议通过",
            version=self.plan.edit_version,
            by=self.office,
        )
        # a lead unit that has since left the group
        entry = self.plan.entries.order_by("order").last()
        gone = Unit.objects.create(name="区已撤销局", code="gone", is_member=False)
        entry.lead = gone
        entry.save()
        tasks_before = Task.objects.count()
        with self.assertRaises(ValidationError) as caught:
            services_plan.plan_to_tasks(plan=self.plan, by=self.office)
        self.assertIn("第3条“牵头单位”", "；".join(caught.exception.messages))
        self.assertEqual(Task.objects.count(), tasks_before)
        self.assertFalse(WorkPlan.objects.filter(year=2027).exists())
        self.plan.refresh_from_db()
        self.assertEqual(self.plan.status, Plan.Status.APPROVED)
