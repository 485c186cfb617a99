"""Follow-up review: a meeting records what it decided on earlier meetings' open
decided matters; each disposition acts on the task through the task services and
prints in the meeting's minutes."""

from __future__ import annotations

import io
import re
from datetime import timedelta

from django.urls import reverse
from pypdf import PdfReader

from meetings.models import Topic
from meetings.pdf import minutes_pdf
from notices.models import Notification
from tasks import services
from tasks.models import Extension, FollowUp, Task, TaskEvent
from tests.base import PortalTestCase
from tests.meetings import factories as mf

from .factories import issued_decisions, make_task


class FollowUpTests(PortalTestCase):
    def setUp(self):
        d1, d2, d3, d4 = issued_decisions(
            self.office, ["建立调解机制", "开展宣传周", "完善资助办法", "培育示范企业"]
        )
        self.continuing = make_task(by=self.office, lead=self.unit_a, decision=d1)
        self.closing = make_task(by=self.office, lead=self.unit_a, decision=d2)
        self.moving = make_task(
            by=self.office, lead=self.unit_b, co=[self.unit_a], decision=d3
        )
        self.referred = make_task(by=self.office, lead=self.unit_b, decision=d4)
        self.meeting = mf.meeting(
            self.office, units=[self.unit_a, self.unit_b], days=-1
        )
        self.url = reverse("tasks:follow_up", args=[self.meeting.pk])

    def post(self, task, disposition, **extra):
        data = {"f-task": task.pk, "f-disposition": disposition, **extra}
        return self.post_as(self.office, self.url, data)

    def test_who_may_open_it(self):
        self.assertEqual(self.get_as(self.office, self.url).status_code, 200)
        leader = self.get_as(self.leader, self.url)
        self.assertContains(leader, self.continuing.code)
        self.assertNotContains(leader, 'name="f-disposition"')
        self.assertEqual(self.get_as(self.liaison_a, self.url).status_code, 404)
        self.assertLoginRedirect(self.get_as(None, self.url))
        response = self.post_as(
            self.leader,
            self.url,
            {"f-task": self.continuing.pk, "f-disposition": "continue"},
        )
        self.assertEqual(response.status_code, 403)
        self.assertFalse(FollowUp.objects.exists())

    def test_lists_the_earlier_meetings_open_matters_with_lights(self):
        page = self.get_as(self.office, self.url).content.decode()
        for task in (self.continuing, self.closing, self.moving, self.referred):
            self.assertIn(task.code, page)
        self.assertIn("light light-", page)
        # A meeting held before those decisions reviews none of them.
        earlier = mf.meeting(self.office, units=[self.unit_a], days=-30)
        page = self.get_as(
            self.office, reverse("tasks:follow_up", args=[earlier.pk])
        ).content.decode()
        self.assertNotIn(self.continuing.code, page)

    def test_continue_writes_history_and_tells_the_units(self):
        before = Notification.objects.count()
        self.assertEqual(
            self.post(
                self.continuing, "continue", **{"f-note": "下季度通报进展"}
            ).status_code,
            302,
        )
        follow = FollowUp.objects.get(task=self.continuing)
        self.assertEqual(follow.disposition, "continue")
        event = self.continuing.events.get(kind=TaskEvent.Kind.FOLLOWED_UP)
        self.assertIn("继续督办", event.note)
        self.assertIn("下季度通报进展", event.note)
        self.assertGreater(Notification.objects.count(), before)
        self.assertIn(
            "经", self.continuing.history.latest().history_change_reason + event.note
        )

    def test_close_needs_a_closure_request_then_closes(self):
        response = self.post(self.closing, "close")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "该任务尚未申请销号")
        self.assertFalse(FollowUp.objects.exists())
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
        self.assertEqual(self.post(self.closing, "close").status_code, 302)
        self.closing.refresh_from_db()
        self.assertEqual(self.closing.status, Task.Status.CLOSED)
        self.assertIn(
            "同意销号", self.closing.events.get(kind=TaskEvent.Kind.CLOSED).note
        )

    def test_reschedule_keeps_both_deadlines(self):
        original = self.moving.original_due_on
        old_due = self.moving.due_on
        response = self.post(self.moving, "reschedule")
        self.assertContains(response, "调整时限时请填写新的完成时限")
        new_due = old_due + timedelta(days=45)
        self.assertEqual(
            self.post(
                self.moving, "reschedule", **{"f-new_due_on": new_due.isoformat()}
            ).status_code,
            302,
        )
        self.moving.refresh_from_db()
        self.assertEqual(self.moving.due_on, new_due)
        self.assertEqual(self.moving.original_due_on, original)
        extension = self.moving.extensions.get()
        self.assertEqual(extension.status, Extension.Status.APPROVED)
        self.assertEqual(
            (extension.old_due_on, extension.new_due_on), (old_due, new_due)
        )
        self.assertEqual(FollowUp.objects.get(task=self.moving).due_before, old_due)

    def test_refer_raises_a_topic_for_the_plenary(self):
        self.assertEqual(self.post(self.referred, "refer").status_code, 302)
        topic = Topic.objects.get(title__contains=self.referred.code)
        self.assertEqual(topic.raised_by_unit, self.unit_b)
        self.assertTrue(
            self.referred.events.filter(kind=TaskEvent.Kind.FOLLOWED_UP).exists()
        )

    def test_printed_in_the_minutes_and_frozen_once_issued(self):
        self.post(self.continuing, "continue")
        new_due = self.moving.due_on + timedelta(days=30)
        self.post(self.moving, "reschedule", **{"f-new_due_on": new_due.isoformat()})
        minutes = mf.draft(self.meeting, self.office)
        text = "".join(
            p.extract_text() for p in PdfReader(io.BytesIO(minutes_pdf(minutes))).pages
        )
        flat = re.sub(r"\s+", "", text)
        self.assertIn("前次会议议定事项落实情况", flat)
        self.assertIn(f"{self.continuing.code}", flat)
        self.assertIn("继续督办", flat)
        self.assertIn(
            f"调整时限至{new_due.year}年{new_due.month}月{new_due.day}日", flat
        )
        mf.advance(minutes, office=self.office, leader=self.leader, to="issued")
        response = self.post(self.referred, "refer")
        self.assertContains(response, "本次会议纪要已印发")
        self.assertFalse(FollowUp.objects.filter(task=self.referred).exists())

    def test_bad_input_is_named_and_writes_nothing(self):
        for data in (
            {"f-task": self.continuing.pk, "f-disposition": "bogus"},
            {"f-task": self.continuing.pk, "f-disposition": ""},
            {
                "f-task": self.continuing.pk,
                "f-disposition": "continue",
                "f-note": "长" * 501,
            },
            {"f-task": "abc", "f-disposition": "continue"},
            {
                "f-task": self.continuing.pk,
                "f-disposition": "reschedule",
                "f-new_due_on": "2020-01-01",
            },
        ):
            response = self.post_as(self.office, self.url, data)
            self.assertEqual(response.status_code, 200, data)
        self.assertFalse(FollowUp.objects.exists())
        self.assertEqual(
            self.continuing.events.filter(kind=TaskEvent.Kind.FOLLOWED_UP).count(), 0
        )
