"""One approval queue: everything waiting for a leader or the office, oldest
first, with a summary for the home page; what is decided leaves it."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse

from meetings import services as meeting_services
from tasks import extensions, services
from tasks.models import Task
from tests.base import PortalTestCase
from tests.meetings import factories as mf
from tests.tasks.factories import make_task

URL = reverse("dashboard:queue")
SUMMARY = reverse("dashboard:queue_summary")


class QueueTests(PortalTestCase):
    def setUp(self):
        # A closure to verify, then an extension to decide (in that order).
        self.closing = make_task(by=self.office, lead=self.unit_a, title="建立调解机制")
        services.task_sign(task=self.closing, by=self.liaison_a)
        services.progress_report_file(
            task=Task.objects.get(pk=self.closing.pk),
            by=self.liaison_a,
            text="已完成",
            percent=100,
            files=[],
        )
        services.closure_request(
            task=Task.objects.get(pk=self.closing.pk), by=self.liaison_a
        )
        self.extending = make_task(by=self.office, lead=self.unit_b, title="开展宣传周")
        self.extension = extensions.extension_request(
            task=self.extending,
            by=self.liaison_b,
            reason="活动延后",
            new_due_on=self.extending.due_on + timedelta(days=30),
        )
        meeting = mf.meeting(self.office, units=[self.unit_a], title="专利转化专题会议")
        self.minutes = mf.draft(meeting, self.office)
        meeting_services.minutes_submit(minutes=self.minutes, by=self.office)

    def test_who_may_open_it(self):
        self.assertEqual(self.get_as(self.office, URL).status_code, 200)
        self.assertEqual(self.get_as(self.leader, URL).status_code, 200)
        self.assertEqual(self.get_as(self.liaison_a, URL).status_code, 404)
        self.assertEqual(self.get_as(self.liaison_a, SUMMARY).status_code, 404)
        self.assertLoginRedirect(self.get_as(None, URL))
        self.assertEqual(self.post_as(self.office, URL).status_code, 405)

    def test_office_queue_oldest_first(self):
        page = self.get_as(self.office, URL).content.decode()
        closure = page.index(self.closing.code)
        extension = page.index(self.extending.code)
        self.assertLess(closure, extension)
        self.assertIn("审核销号", page)
        self.assertIn("审批延期", page)
        # The office does not approve minutes: they wait for the leader.
        self.assertNotIn("审批纪要", page)

    def test_leader_queue_and_what_leaves_it(self):
        page = self.get_as(self.leader, URL).content.decode()
        self.assertIn("审批纪要", page)
        self.assertIn(self.minutes.get_absolute_url(), page)
        self.assertIn(self.extending.code, page)
        self.assertNotIn("审核销号", page)
        extensions.extension_decide(
            extension=self.extension, approve=True, by=self.leader
        )
        meeting_services.minutes_approve(minutes=self.minutes, by=self.leader)
        page = self.get_as(self.leader, URL).content.decode()
        self.assertIn("没有等待您办理的事项", page)
        # Approved minutes now wait for the office to number and issue them.
        self.assertContains(self.get_as(self.office, URL), "编号印发纪要")

    def test_home_summary_counts(self):
        self.assertContains(self.get_as(self.office, "/"), SUMMARY)
        summary = self.get_as(self.office, SUMMARY)
        self.assertContains(summary, "审核销号 <strong>1</strong>", html=False)
        self.assertContains(summary, "审批延期 <strong>1</strong>", html=False)
        services.task_close(task=Task.objects.get(pk=self.closing.pk), by=self.office)
        summary = self.get_as(self.office, SUMMARY)
        self.assertNotContains(summary, "审核销号")
