"""Units given work by issued minutes may read them, though the meeting did not list
them: a partial meeting of unit A decides that unit B does something; B's liaison
opens the task and follows its link to the minutes."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.models import Meeting, Minutes
from meetings.pdf import shown_facts
from meetings.services import DecisionInput, MeetingData
from members.models import Unit, User
from members.services import account_create
from notices.models import Notification
from tasks.services import task_assign, task_reassign
from tests.base import PortalTestCase

from . import factories as f


class MinutesReadersTests(PortalTestCase):
    def setUp(self):
        self.meeting = f.meeting(self.office, units=[self.unit_a], title="调解协作会")
        self.minutes = services.minutes_draft(
            meeting=self.meeting,
            by=self.office,
            title="调解协作会纪要",
            narrative="会议研究了纠纷调解经费。",
            decisions=[
                DecisionInput(text="由区司法局建立调解机制。", suggested_units=[]),
                DecisionInput(
                    text="由区财政局保障调解经费。", suggested_units=[self.unit_b]
                ),
            ],
        )

    def assertStatus(self, user, url: str, status: int) -> None:
        self.assertEqual(self.get_as(user, url).status_code, status, f"{user} {url}")

    def issue(self) -> Minutes:
        self.minutes.refresh_from_db()
        return f.advance(
            self.minutes, office=self.office, leader=self.leader, to="issued"
        )

    def test_unit_named_by_a_decided_matter_reads_the_issued_minutes(self):
        f.advance(self.minutes, office=self.office, leader=self.leader, to="approved")
        # Before issue nothing shows: the draft may still change.
        self.assertStatus(self.liaison_b, self.minutes.get_absolute_url(), 404)
        self.assertStatus(self.liaison_b, self.meeting.get_absolute_url(), 404)
        minutes = self.issue()
        self.assertStatus(self.liaison_b, minutes.get_absolute_url(), 200)
        self.assertStatus(self.liaison_b, self.meeting.get_absolute_url(), 200)
        pdf = reverse("meetings:minutes_pdf", args=[minutes.pk])
        self.assertStatus(self.liaison_b, pdf, 200)
        self.assertIn(self.meeting, Meeting.objects.visible_to(self.liaison_b))
        # The distribution line names it, and its people are told of the issue.
        self.assertEqual(
            shown_facts(minutes)["distribution"],
            f"分送：领导小组组长、副组长，{self.unit_a.name}、{self.unit_b.name}。",
        )
        self.assertTrue(
            Notification.objects.filter(
                recipient=self.liaison_b, url=minutes.get_absolute_url()
            ).exists()
        )
        # A unit with nothing to do with the meeting still sees nothing.
        self.assertStatus(self.outsider, minutes.get_absolute_url(), 404)
        self.assertStatus(self.outsider, self.meeting.get_absolute_url(), 404)

    def test_units_on_tasks_from_the_minutes_are_readers(self):
        minutes = self.issue()
        first = minutes.decisions.get(number=1)
        task_assign(
            decision=first,
            lead=self.unit_out,
            co_units=[],
            due=timezone.localdate() + timedelta(days=30),
            title=first.text,
            description=first.text,
            by=self.office,
        )
        self.assertIn(self.unit_out, list(self.meeting.minutes_readers()))
        # The assignment itself opens the minutes to the new lead unit.
        self.assertStatus(self.outsider, minutes.get_absolute_url(), 200)
        self.assertStatus(self.outsider, first.get_absolute_url(), 200)
        # Moved to another unit: the old lead no longer reads them, the new one does.
        task = first.tasks.get()
        swj = Unit.objects.get(code="swj")
        liaison_swj = account_create(
            username="liaison_swj_t",
            password="x",
            display_name="商务局联络员",
            role=User.Role.LIAISON,
            unit=swj,
        )
        self.assertStatus(liaison_swj, minutes.get_absolute_url(), 404)
        task_reassign(
            task=task,
            lead=swj,
            co_units=[],
            due=task.due_on,
            by=self.office,
            version=task.edit_version,
        )
        self.assertStatus(self.outsider, minutes.get_absolute_url(), 404)
        self.assertStatus(liaison_swj, minutes.get_absolute_url(), 200)

    def test_co_unit_of_a_task_from_the_minutes_is_a_reader(self):
        """The tasks app tells meetings who it gave work (meetings.readers): a
        co-unit counts like the lead."""
        minutes = self.issue()
        first = minutes.decisions.get(number=1)
        self.assertNotIn(self.unit_out, list(self.meeting.minutes_readers()))
        self.assertStatus(self.outsider, minutes.get_absolute_url(), 404)
        task_assign(
            decision=first,
            lead=self.unit_a,
            co_units=[self.unit_out],
            due=timezone.localdate() + timedelta(days=30),
            title=first.text,
            description=first.text,
            by=self.office,
        )
        self.assertIn(self.unit_out, list(self.meeting.minutes_readers()))
        self.assertStatus(self.outsider, minutes.get_absolute_url(), 200)

    def test_draft_suggestions_grant_nothing(self):
        self.assertEqual(list(self.meeting.minutes_readers()), [self.unit_a])
        services.meeting_grants_sync(meeting=self.meeting)
        self.assertFalse(self.liaison_b.has_perm("meetings.view_meeting", self.meeting))

    def test_units_the_minutes_went_to_keep_reading_after_an_edit(self):
        minutes = self.issue()
        data = MeetingData(
            kind=self.meeting.kind,
            title=self.meeting.title,
            starts_at=self.meeting.starts_at,
            place=self.meeting.place,
            units=[self.unit_out],
        )
        services.meeting_update(meeting=self.meeting, data=data, by=self.office)
        # 区司法局 received the issued minutes: it still reads them.
        self.assertStatus(self.liaison_a, minutes.get_absolute_url(), 200)
        self.assertStatus(self.outsider, minutes.get_absolute_url(), 200)


class AgendaUnitTests(PortalTestCase):
    def assertStatus(self, user, url: str, status: int) -> None:
        self.assertEqual(self.get_as(user, url).status_code, status, f"{user} {url}")

    def test_unit_whose_topic_is_on_the_agenda_opens_the_meeting_and_minutes(self):
        meeting = f.meeting(self.office, units=[self.unit_a], held=False, days=2)
        topic = services.topic_raise(
            unit=self.unit_b, by=self.liaison_b, title="资助资金拨付协调"
        )
        self.assertStatus(self.liaison_b, meeting.get_absolute_url(), 404)
        services.topic_schedule(
            topic=topic, meeting=meeting, presenter="", by=self.office
        )
        self.assertStatus(self.liaison_b, meeting.get_absolute_url(), 200)
        r = self.get_as(self.liaison_b, topic.get_absolute_url())
        self.assertContains(r, f'href="{meeting.get_absolute_url()}"')
        topic.refresh_from_db()
        services.topic_unschedule(topic=topic, by=self.office)
        self.assertStatus(self.liaison_b, meeting.get_absolute_url(), 404)
        topic.refresh_from_db()
        services.topic_schedule(
            topic=topic, meeting=meeting, presenter="", by=self.office
        )
        Meeting.objects.filter(pk=meeting.pk).update(
            starts_at=timezone.now() - timedelta(hours=1)
        )
        meeting.refresh_from_db()
        services.meeting_mark_held(meeting=meeting, by=self.office)
        minutes = f.advance(
            f.draft(meeting, self.office),
            office=self.office,
            leader=self.leader,
            to="issued",
        )
        self.assertStatus(self.liaison_b, minutes.get_absolute_url(), 200)
        self.assertStatus(self.outsider, minutes.get_absolute_url(), 404)
