"""Decided matters on a minutes page list only the tasks the reader may see."""

from __future__ import annotations

from meetings.models import Meeting
from tests.base import PortalTestCase
from tests.meetings import factories as meeting_factories
from tests.tasks.factories import make_task


class DecisionTasksOnMinutesTests(PortalTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        plenary = meeting_factories.meeting(cls.office, kind=Meeting.Kind.PLENARY)
        minutes = meeting_factories.advance(
            meeting_factories.draft(plenary, cls.office, decisions=2),
            office=cls.office,
            leader=cls.leader,
            to="issued",
        )
        first, second = minutes.decisions.order_by("number")
        cls.minutes = minutes
        cls.task_a = make_task(by=cls.office, lead=cls.unit_a, decision=first)
        cls.task_b = make_task(by=cls.office, lead=cls.unit_b, decision=second)

    def test_unit_reads_its_own_tasks_only(self):
        page = self.get_as(self.liaison_a, self.minutes.get_absolute_url())
        self.assertContains(page, self.task_a.get_absolute_url())
        self.assertNotContains(page, self.task_b.get_absolute_url())
        page = self.get_as(self.outsider, self.minutes.get_absolute_url())
        self.assertEqual(page.status_code, 200)  # a plenary's minutes reach every unit
        self.assertNotContains(page, self.task_a.get_absolute_url())

    def test_office_sees_every_task_of_the_minutes(self):
        page = self.get_as(self.office, self.minutes.get_absolute_url())
        self.assertContains(page, self.task_a.get_absolute_url())
        self.assertContains(page, self.task_b.get_absolute_url())
