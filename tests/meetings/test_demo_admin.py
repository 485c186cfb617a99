"""Demo data (idempotent, the whole flow) and the office-only admin."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from meetings import demo, services
from meetings.models import Attendance, Decision, Meeting, Minutes, Topic
from members.models import User
from tests.base import PortalTestCase

from . import factories as f


class DemoTests(PortalTestCase):
    def test_load_is_idempotent_and_shows_the_flow(self):
        # The demo runs after members.demo: its accounts are the cast's under their
        # demo usernames (renamed inside this test's transaction only).
        User.objects.filter(pk=self.leader.pk).update(username="zuzhang")
        User.objects.filter(pk=self.deputy.pk).update(username="fuzuzhang")
        demo.load()
        counts = [
            m.objects.count() for m in (Meeting, Minutes, Decision, Topic, Attendance)
        ]
        demo.load()
        self.assertEqual(
            counts,
            [
                m.objects.count()
                for m in (Meeting, Minutes, Decision, Topic, Attendance)
            ],
        )
        year = timezone.localdate().year
        status = services.plenary_status(year)
        self.assertTrue(status.held)
        plenary_minutes = status.meeting.minutes.get()
        self.assertEqual(plenary_minutes.status, Minutes.Status.ISSUED)
        self.assertGreaterEqual(plenary_minutes.decisions.count(), 4)
        self.assertTrue(status.meeting.attendance.exists())
        special = Meeting.objects.get(
            year=year, kind=Meeting.Kind.SPECIAL, status="held"
        )
        self.assertGreaterEqual(special.minutes.get().decisions.count(), 3)
        self.assertTrue(special.units.exists())
        self.assertTrue(Minutes.objects.filter(status=Minutes.Status.DRAFT).exists())
        self.assertTrue(Meeting.objects.upcoming().exists())
        self.assertEqual(Topic.objects.filter(status=Topic.Status.RAISED).count(), 2)


class AdminTests(PortalTestCase):
    def test_office_only(self):
        m = f.meeting(self.office, units=[self.unit_a])
        minutes = f.advance(
            f.draft(m, self.office), office=self.office, leader=self.leader, to="issued"
        )
        for name, args in (
            ("admin:meetings_meeting_changelist", []),
            ("admin:meetings_meeting_change", [m.pk]),
            ("admin:meetings_minutes_changelist", []),
            ("admin:meetings_topic_changelist", []),
            ("admin:meetings_decision_changelist", []),
        ):
            url = reverse(name, args=args)
            self.assertEqual(self.get_as(self.office, url).status_code, 200, url)
            self.assertNotEqual(self.get_as(self.leader, url).status_code, 200, url)
            self.assertNotEqual(self.get_as(self.liaison_a, url).status_code, 200, url)
        # Issued minutes are read-only in the admin too.
        r = self.get_as(
            self.office, reverse("admin:meetings_minutes_change", args=[minutes.pk])
        )
        self.assertEqual(r.status_code, 200)
        self.assertNotContains(r, 'name="narrative"')
