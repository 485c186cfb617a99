"""The minutes workflow tells the next person: submit → the convener leader,
return and approval → the office, issue → the people of the units concerned;
the leader's home lists the minutes waiting for their approval (待我审批)."""

from __future__ import annotations

from django.urls import reverse

from meetings import services
from meetings.models import Meeting, Minutes
from members.models import User
from notices.models import Notification
from tests.base import PortalTestCase

from . import factories as f


class MinutesNotificationTests(PortalTestCase):
    def setUp(self) -> None:
        self.meeting = f.meeting(self.office, units=[self.unit_a])
        self.minutes = f.draft(self.meeting, self.office)

    def notes(self, user) -> list[Notification]:
        return list(Notification.objects.filter(recipient=user).order_by("pk"))

    def test_submit_notifies_the_convener_only(self):
        self.post_as(
            self.office, reverse("meetings:minutes_submit", args=[self.minutes.pk])
        )
        self.minutes.refresh_from_db()
        self.assertEqual(self.minutes.status, Minutes.Status.SUBMITTED)
        [note] = self.notes(self.leader)
        self.assertIn("待您审批", note.text)
        self.assertEqual(note.url, self.minutes.get_absolute_url())
        # Convened by the 组长: the 副组长 is not asked.
        self.assertEqual(self.notes(self.deputy), [])
        self.assertEqual(self.notes(self.liaison_a), [])

    def test_delegated_meeting_notifies_the_deputy_too(self):
        m = f.meeting(
            self.office,
            units=[self.unit_a],
            convener=Meeting.Convener.DEPUTY,
            delegation_note="组长书面委托",
        )
        services.minutes_submit(minutes=f.draft(m, self.office), by=self.office)
        self.assertEqual(len(self.notes(self.deputy)), 1)
        self.assertEqual(len(self.notes(self.leader)), 1)

    def test_return_and_approval_notify_the_office(self):
        services.minutes_submit(minutes=self.minutes, by=self.office)
        self.post_as(
            self.leader,
            reverse("meetings:minutes_return", args=[self.minutes.pk]),
            {"reason": "请补充时限"},
        )
        [note] = self.notes(self.office)
        self.assertIn("退回", note.text)
        self.assertIn("请补充时限", note.text)
        services.minutes_submit(minutes=self.minutes, by=self.office)
        self.post_as(
            self.leader, reverse("meetings:minutes_approve", args=[self.minutes.pk])
        )
        note = self.notes(self.office)[-1]
        self.assertIn("审批同意", note.text)

    def test_issue_notifies_the_units_concerned(self):
        minutes = f.advance(
            self.minutes, office=self.office, leader=self.leader, to="approved"
        )
        self.post_as(self.office, reverse("meetings:minutes_issue", args=[minutes.pk]))
        minutes.refresh_from_db()
        for user in (self.liaison_a, self.head_a):
            [note] = self.notes(user)
            self.assertIn(minutes.issue_label, note.text)
        self.assertEqual(self.notes(self.liaison_b), [])
        self.assertEqual(self.notes(self.outsider), [])

    def test_leader_queue_lists_minutes_awaiting_approval(self):
        summary = reverse("dashboard:queue_summary")
        self.assertContains(self.get_as(self.leader, "/"), summary)
        r = self.get_as(self.leader, summary)
        self.assertNotContains(r, "审批纪要")
        services.minutes_submit(minutes=self.minutes, by=self.office)
        r = self.get_as(self.leader, summary)
        self.assertContains(r, "审批纪要")
        self.assertContains(r, self.minutes.get_absolute_url())
        # Not the 副组长's to approve (convened by the 组长).
        r = self.get_as(self.deputy, summary)
        self.assertNotContains(r, "审批纪要")

    def test_the_other_leaders_request_is_settled_once_one_decides(self):
        # Convened by the 副组长 on delegation: both leaders are asked.
        meeting = f.meeting(
            self.office,
            units=[self.unit_a],
            convener=Meeting.Convener.DEPUTY,
            delegation_note="组长书面委托",
        )
        self.minutes = f.draft(meeting, self.office)
        services.minutes_submit(minutes=self.minutes, by=self.office)
        url = self.minutes.get_absolute_url()
        asked = [
            n.recipient for n in Notification.objects.filter(url=url, read_at=None)
        ]
        self.assertIn(self.deputy, asked)
        services.minutes_approve(minutes=self.minutes, by=self.leader)
        self.assertFalse(
            Notification.objects.filter(
                url=url, read_at=None, recipient__role=User.Role.LEADER
            ).exists()
        )
        # The office's notice that the minutes were approved stays unread.
        self.assertTrue(
            Notification.objects.filter(
                url=url, read_at=None, recipient=self.office
            ).exists()
        )
