"""An issued correction (更正) takes over the tasks of the version it replaces;
the replaced version no longer offers 转为任务."""

from __future__ import annotations

from django.urls import reverse

from meetings import services
from meetings.models import Decision, Minutes
from meetings.services import DecisionInput
from notices.models import Notification
from tests.base import PortalTestCase
from tests.tasks.factories import make_task

from . import factories as f


class CorrectionMovesTasksTests(PortalTestCase):
    def setUp(self) -> None:
        meeting = f.meeting(self.office, units=[self.unit_a, self.unit_b])
        self.v1 = f.advance(
            f.draft(meeting, self.office, decisions=3),
            office=self.office,
            leader=self.leader,
            to=Minutes.Status.ISSUED,
        )
        d = {x.number: x for x in self.v1.decisions.all()}
        self.t1 = make_task(by=self.office, lead=self.unit_a, decision=d[1])
        self.t3 = make_task(by=self.office, lead=self.unit_b, decision=d[3])

    def _issue_correction(self, *, keep: int = 3) -> Minutes:
        """A correction keeping the first ``keep`` decided matters."""
        v2 = services.minutes_correct(
            minutes=self.v1, by=self.office, reason="议定事项有误"
        )
        services.minutes_update(
            minutes=v2,
            by=self.office,
            title=v2.title,
            narrative=v2.narrative,
            decisions=[
                DecisionInput(text=d.text, pk=d.pk)
                for d in v2.decisions.order_by("number")[:keep]
            ],
            edit_version=v2.edit_version,
        )
        v2.refresh_from_db()
        return f.advance(
            v2, office=self.office, leader=self.leader, to=Minutes.Status.ISSUED
        )

    def test_tasks_move_to_the_same_number_with_history(self):
        v2 = self._issue_correction()
        for task, number in ((self.t1, 1), (self.t3, 3)):
            task.refresh_from_db()
            self.assertEqual(task.decision, v2.decisions.get(number=number))
            last = task.history.latest()
            self.assertIn("纪要更正", last.history_change_reason)
            self.assertEqual(last.history_user, self.office)
        self.assertEqual(v2.tasks_left_behind, [])

    def test_new_version_shows_the_tasks_and_old_offers_no_conversion(self):
        v2 = self._issue_correction()
        r = self.get_as(self.office, v2.get_absolute_url())
        self.assertContains(r, self.t1.code)
        self.assertContains(r, self.t3.code)
        self.assertContains(r, "转为任务")
        r = self.get_as(self.office, self.v1.get_absolute_url())
        self.assertNotContains(r, "转为任务")
        self.v1.refresh_from_db()
        self.assertFalse(self.v1.is_current)
        self.assertTrue(v2.is_current)

    def test_old_version_still_current_while_correction_is_a_draft(self):
        services.minutes_correct(minutes=self.v1, by=self.office, reason="更正")
        self.v1 = Minutes.objects.get(pk=self.v1.pk)
        self.assertTrue(self.v1.is_current)
        r = self.get_as(self.office, self.v1.get_absolute_url())
        self.assertContains(r, "转为任务")
        self.t1.refresh_from_db()
        self.assertEqual(self.t1.decision.minutes, self.v1)

    def test_dropped_number_keeps_its_tasks_and_office_is_told(self):
        v2 = self._issue_correction(keep=2)
        self.t1.refresh_from_db()
        self.t3.refresh_from_db()
        self.assertEqual(self.t1.decision.minutes, v2)
        self.assertEqual(
            self.t3.decision, Decision.objects.get(minutes=self.v1, number=3)
        )
        self.assertEqual([t.pk for t in v2.tasks_left_behind], [self.t3.pk])
        note = Notification.objects.filter(recipient=self.office).latest("pk")
        self.assertIn(self.t3.code, note.text)
        self.assertIn("第3项", note.text)
        self.assertEqual(note.url, self.v1.get_absolute_url())

    def test_liaison_reading_old_version_sees_no_conversion(self):
        self._issue_correction()
        r = self.get_as(self.liaison_a, self.v1.get_absolute_url())
        self.assertEqual(r.status_code, 200)
        self.assertNotContains(r, "转为任务")

    def test_create_from_decision_link_only_on_current_version(self):
        v2 = self._issue_correction()
        r = self.get_as(self.office, v2.get_absolute_url())
        d2 = v2.decisions.get(number=2)
        self.assertContains(r, reverse("tasks:create_from_decision", args=[d2.pk]))
        old = self.v1.decisions.get(number=2)
        r = self.get_as(self.office, self.v1.get_absolute_url())
        self.assertNotContains(r, reverse("tasks:create_from_decision", args=[old.pk]))
