"""Rules a meeting form states before it saves: one plenary a year (a second one is
confirmed knowingly), and the minutes' fixed sentence is not typed twice."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting
from tests.base import PortalTestCase

from . import factories as f


class SecondPlenaryTests(PortalTestCase):
    def data(self, title: str, days: int) -> dict:
        starts = timezone.localtime() + timedelta(days=days)
        return {
            "kind": "plenary",
            "title": title,
            "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
            "place": "区政府第一会议室",
            "convener": "leader",
        }

    def test_a_second_plenary_in_a_year_is_confirmed_knowingly(self):
        # Both on days of this year (the cast's today is never 1 January here:
        # the first is dated today and the second two hours later).
        first = f.meeting(
            self.office, kind=Meeting.Kind.PLENARY, days=0, title="年度全体会议"
        )
        later = timezone.localtime(first.starts_at) + timedelta(hours=2)
        data = {
            **self.data("第二次全体会议", 0),
            "starts_at": later.strftime("%Y-%m-%dT%H:%M"),
        }
        url = reverse("meetings:create")
        response = self.post_as(self.office, url, data)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "已有全体会议“年度全体会议”")
        self.assertContains(response, "确认本年度再召开一次全体会议")
        self.assertFalse(Meeting.objects.filter(title="第二次全体会议").exists())
        response = self.post_as(self.office, url, {**data, "second_plenary": "on"})
        self.assertEqual(response.status_code, 302)
        self.assertTrue(Meeting.objects.filter(title="第二次全体会议").exists())

    def test_editing_the_years_only_plenary_asks_nothing(self):
        first = f.meeting(
            self.office, kind=Meeting.Kind.PLENARY, days=0, title="年度全体会议"
        )
        starts = timezone.localtime(first.starts_at)
        data = {
            **self.data("年度全体会议（修改）", 0),
            "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        }
        response = self.post_as(
            self.office, reverse("meetings:edit", args=[first.pk]), data
        )
        self.assertEqual(response.status_code, 302)

    def test_the_first_plenary_of_a_year_saves_without_a_question(self):
        years = {m.starts_at.year for m in Meeting.objects.plenaries()}
        self.assertNotIn(timezone.localdate().year + 1, years)
        starts = timezone.localtime().replace(
            year=timezone.localdate().year + 1, month=3, day=18
        )
        data = {
            **self.data("明年全体会议", 0),
            "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        }
        response = self.post_as(self.office, reverse("meetings:create"), data)
        self.assertEqual(response.status_code, 302)
        self.assertNotContains(
            self.client.get(response["Location"]), "确认本年度再召开一次全体会议"
        )


class MinutesLeadInTests(PortalTestCase):
    def test_the_fixed_sentence_typed_at_the_end_is_refused_with_a_reason(self):
        from meetings.forms_minutes import MinutesForm

        for typed in ("会议议定以下事项：", "会议议定如下事项:", "会议研究议定："):
            form = MinutesForm(
                {"title": "专题会议纪要", "narrative": f"会议听取了汇报。\n\n{typed}"}
            )
            self.assertFalse(form.is_valid(), typed)
            self.assertIn("会印两遍", form.errors["narrative"][0])
        form = MinutesForm(
            {
                "title": "专题会议纪要",
                "narrative": "会议听取汇报，议定事项由办公室督办。",
            }
        )
        self.assertTrue(form.is_valid(), form.errors)
        self.assertIn("自动加上", str(form["narrative"].help_text))


class DecisionWithTaskTests(PortalTestCase):
    def test_a_matter_with_a_task_no_longer_calls_to_convert(self):
        from tests.tasks.factories import issued_decisions, make_task

        done, open_ = issued_decisions(self.office, ["建立调解机制", "开展宣传周活动"])
        make_task(by=self.office, lead=self.unit_a, decision=done)
        page = self.get_as(self.office, done.minutes.get_absolute_url())
        html = page.content.decode()
        convert = reverse("tasks:create_from_decision", args=[done.pk])
        self.assertIn(f'<a class="ms-1" href="{convert}">再增加一项任务</a>', html)
        self.assertEqual(html.count("</i> 转为任务</a>"), 1)
        self.assertIn(reverse("tasks:create_from_decision", args=[open_.pk]), html)
