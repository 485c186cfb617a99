"""Decided matters to tasks in one form: every matter of issued minutes on one
page, prefilled and editable, rows to skip, all or nothing."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from meetings.models import SuggestedUnit
from tasks.models import Task
from tests.base import PortalTestCase

from .factories import issued_decisions, make_task


class FromMinutesTests(PortalTestCase):
    def setUp(self):
        self.d1, self.d2, self.d3 = issued_decisions(
            self.office,
            ["建立知识产权纠纷调解机制", "开展知识产权宣传周活动", "完善专利资助办法"],
        )
        SuggestedUnit.objects.create(decision=self.d1, unit=self.unit_a, position=1)
        SuggestedUnit.objects.create(decision=self.d1, unit=self.unit_b, position=2)
        self.done = make_task(by=self.office, lead=self.unit_b, decision=self.d3)
        self.minutes = self.d1.minutes
        self.url = reverse("tasks:create_from_minutes", args=[self.minutes.pk])
        self.due = (timezone.localdate() + timedelta(days=60)).isoformat()

    def data(self, **rows) -> dict:
        base = {
            "m1-include": "on",
            "m1-title": "建立知识产权纠纷调解机制",
            "m1-lead": self.unit_a.pk,
            "m1-co_units": self.unit_b.name,
            "m1-due": self.due,
            "m2-include": "on",
            "m2-title": "开展知识产权宣传周活动",
            "m2-lead": self.unit_b.pk,
            "m2-co_units": "",
            "m2-due": self.due,
            "m3-title": "完善专利资助办法",
            "m3-lead": self.unit_b.pk,
            "m3-due": self.due,
        }
        base.update(rows)
        return {k: v for k, v in base.items() if v is not None}

    def test_permissions(self):
        self.assertEqual(self.get_as(self.office, self.url).status_code, 200)
        self.assertEqual(self.get_as(self.leader, self.url).status_code, 403)
        self.assertEqual(self.get_as(self.liaison_a, self.url).status_code, 403)
        self.assertLoginRedirect(self.get_as(None, self.url))

    def test_rows_are_prefilled_and_a_matter_with_a_task_says_so(self):
        page = self.get_as(self.office, self.url).content.decode()
        self.assertIn('name="m1-co_units"', page)
        self.assertIn(f'value="{self.unit_b.name}"', page)
        self.assertIn(f'<option value="{self.unit_a.pk}" selected>', page)
        self.assertIn("已有任务：", page)
        self.assertIn(self.done.code, page)
        # The matter that has a task is not ticked; the others are.
        self.assertIn('name="m1-include" id="id_m1-include" checked', page)
        self.assertNotIn('name="m3-include" id="id_m3-include" checked', page)
        minutes_page = self.get_as(self.office, self.minutes.get_absolute_url())
        self.assertContains(minutes_page, self.url)

    def test_ticked_rows_become_tasks_together(self):
        before = Task.objects.count()
        response = self.post_as(self.office, self.url, self.data())
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Task.objects.count(), before + 2)
        first = Task.objects.get(decision=self.d1)
        self.assertEqual(first.lead_unit, self.unit_a)
        self.assertEqual([u.pk for u in first.co_units.all()], [self.unit_b.pk])
        self.assertEqual(first.due_on.isoformat(), self.due)
        self.assertEqual(Task.objects.filter(decision=self.d3).count(), 1)

    def test_one_wrong_row_writes_nothing_and_is_named(self):
        before = Task.objects.count()
        response = self.post_as(
            self.office,
            self.url,
            self.data(**{"m2-lead": "", "m1-co_units": "区不存在局"}),
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "第2项：请选择牵头单位。")
        self.assertContains(response, "没有找到成员单位“区不存在局”")
        self.assertContains(response, "尚未交办任何任务")
        self.assertEqual(Task.objects.count(), before)
        # Same lead and co-unit, a past deadline: refused too.
        response = self.post_as(
            self.office,
            self.url,
            self.data(**{"m1-co_units": self.unit_a.name, "m2-due": "2023-01-01"}),
        )
        self.assertContains(response, "牵头单位不能同时作为配合单位")
        self.assertContains(response, "完成时限不能早于今天")
        self.assertEqual(Task.objects.count(), before)

    def test_nothing_ticked_is_said(self):
        response = self.post_as(
            self.office, self.url, self.data(**{"m1-include": None, "m2-include": None})
        )
        self.assertContains(response, "请至少勾选一项")
