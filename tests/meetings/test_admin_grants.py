"""Edits in the admin that grants depend on go through the meetings services:
who may open a meeting after the office changes it in the admin."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting, Topic
from meetings.services import topic_raise, topic_schedule
from tests.base import PortalTestCase
from tests.meetings import factories


def _meeting_post(meeting: Meeting, **changes) -> dict:
    """The admin change form's fields as the office would submit them."""
    starts = timezone.localtime(meeting.starts_at)
    data = {
        "kind": meeting.kind,
        "status": meeting.status,
        "title": meeting.title,
        "subject": meeting.subject,
        "starts_at_0": starts.strftime("%Y-%m-%d"),
        "starts_at_1": starts.strftime("%H:%M:%S"),
        "ends_at_0": "",
        "ends_at_1": "",
        "place": meeting.place,
        "convener": meeting.convener,
        "delegation_note": meeting.delegation_note,
        "host": meeting.host_id or "",
        "recorder": meeting.recorder_id or "",
        "units": [u.pk for u in meeting.units.all()],
        "partial_reason": meeting.partial_reason,
        "attendance-TOTAL_FORMS": "0",
        "attendance-INITIAL_FORMS": "0",
        "attendance-MIN_NUM_FORMS": "0",
        "attendance-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


class MeetingAdminGrantsTests(PortalTestCase):
    def setUp(self) -> None:
        self.meeting = factories.meeting(
            self.office,
            kind=Meeting.Kind.PARTIAL,
            units=[self.unit_a],
            held=False,
            days=3,
        )
        self.url = reverse("admin:meetings_meeting_change", args=[self.meeting.pk])
        self.page = self.meeting.get_absolute_url()

    def test_changing_units_moves_who_may_open_the_meeting(self) -> None:
        self.assertEqual(self.get_as(self.liaison_a, self.page).status_code, 200)
        self.assertEqual(self.get_as(self.liaison_b, self.page).status_code, 404)
        response = self.post_as(
            self.office, self.url, _meeting_post(self.meeting, units=[self.unit_b.pk])
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.get_as(self.liaison_a, self.page).status_code, 404)
        self.assertEqual(self.get_as(self.liaison_b, self.page).status_code, 200)
        self.assertEqual(self.get_as(self.head_a, self.page).status_code, 404)

    def test_a_plenary_opens_to_every_member_unit(self) -> None:
        self.assertEqual(self.get_as(self.outsider, self.page).status_code, 404)
        response = self.post_as(
            self.office,
            self.url,
            _meeting_post(
                self.meeting, kind=Meeting.Kind.PLENARY, partial_reason="", units=[]
            ),
        )
        self.assertEqual(response.status_code, 302)
        self.meeting.refresh_from_db()
        self.assertEqual(self.meeting.kind, Meeting.Kind.PLENARY)
        self.assertEqual(list(self.meeting.units.all()), [])
        self.assertEqual(self.get_as(self.outsider, self.page).status_code, 200)
        self.assertEqual(self.get_as(self.liaison_b, self.page).status_code, 200)

    def test_the_services_rules_answer_in_the_form(self) -> None:
        response = self.post_as(
            self.office, self.url, _meeting_post(self.meeting, units=[])
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "部分成员单位会议须列出参会单位。")
        self.assertEqual(list(self.meeting.units.all()), [self.unit_a])
        self.assertEqual(self.get_as(self.liaison_a, self.page).status_code, 200)

    def test_status_is_read_only(self) -> None:
        response = self.post_as(
            self.office,
            self.url,
            _meeting_post(self.meeting, status=Meeting.Status.CANCELLED),
        )
        self.assertEqual(response.status_code, 302)
        self.meeting.refresh_from_db()
        self.assertEqual(self.meeting.status, Meeting.Status.PLANNED)


class TopicAdminGrantsTests(PortalTestCase):
    def test_a_topics_meeting_is_changed_only_by_the_agenda_pages(self) -> None:
        first = factories.meeting(self.office, units=[self.unit_a], held=False, days=3)
        second = factories.meeting(self.office, units=[self.unit_a], held=False, days=4)
        topic = topic_raise(unit=self.unit_b, by=self.liaison_b, title="联合执法经费")
        topic_schedule(topic=topic, meeting=first, presenter="", by=self.office)
        self.assertEqual(
            self.get_as(self.liaison_b, first.get_absolute_url()).status_code, 200
        )
        url = reverse("admin:meetings_topic_change", args=[topic.pk])
        response = self.post_as(
            self.office,
            url,
            {
                "title": "联合执法经费保障",
                "description": "",
                "related_units": [],
                "meeting": second.pk,
                "agenda_order": "1",
                "presenter": "",
                "status": Topic.Status.SCHEDULED,
            },
        )
        self.assertEqual(response.status_code, 302)
        topic.refresh_from_db()
        self.assertEqual(topic.title, "联合执法经费保障")
        self.assertEqual(topic.meeting, first)
        self.assertEqual(
            self.get_as(self.liaison_b, first.get_absolute_url()).status_code, 200
        )
        self.assertEqual(
            self.get_as(self.liaison_b, second.get_absolute_url()).status_code, 404
        )


class TaskAdminTests(PortalTestCase):
    def test_tasks_are_read_only_in_the_admin(self) -> None:
        from tests.tasks import factories as task_factories

        task = task_factories.make_task(
            by=self.office, lead=self.unit_a, co=[self.unit_b]
        )
        url = reverse("admin:tasks_task_change", args=[task.pk])
        self.assertEqual(self.get_as(self.office, url).status_code, 403)
        response = self.post_as(self.office, url, {"lead_unit": self.unit_out.pk})
        self.assertEqual(response.status_code, 403)
        task.refresh_from_db()
        self.assertEqual(task.lead_unit, self.unit_a)
