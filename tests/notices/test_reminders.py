"""The daily digest (send_reminders): one message per person per day, what the
tasks app has for them, escalation of overdue tasks to the office."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from notices.models import Notification, ReminderLog
from tasks import services
from tests.base import PortalTestCase
from tests.tasks.factories import make_task


class ReminderTests(PortalTestCase):
    def run_cmd(self, day, *extra) -> str:
        out = StringIO()
        # the digest's mail goes out when its transaction commits, as all mail
        with self.captureOnCommitCallbacks(execute=True):
            call_command(
                "send_reminders", "--date", day.isoformat(), *extra, stdout=out
            )
        return out.getvalue()

    def test_nothing_due_nothing_sent(self):
        today = timezone.localdate()
        task = make_task(
            by=self.office, lead=self.unit_a, due=today + timedelta(days=90)
        )
        services.task_sign(task=task, by=self.liaison_a)
        mail.outbox.clear()
        self.assertIn("已提醒 0 人", self.run_cmd(today))
        self.assertEqual(mail.outbox, [])
        self.assertFalse(ReminderLog.objects.exists())

    def test_one_digest_per_person_and_no_duplicates(self):
        today = timezone.localdate()
        a1 = make_task(by=self.office, lead=self.unit_a, due=today + timedelta(days=1))
        make_task(
            by=self.office,
            lead=self.unit_a,
            due=today + timedelta(days=2),
            title="第二项",
        )
        services.task_sign(task=a1, by=self.liaison_a)
        mail.outbox.clear()
        before = Notification.objects.filter(recipient=self.liaison_a).count()
        self.assertIn("将提醒", self.run_cmd(today, "--dry-run"))
        self.assertEqual(mail.outbox, [])
        self.run_cmd(today)
        to_liaison = [m for m in mail.outbox if m.to == [self.liaison_a.email]]
        self.assertEqual(len(to_liaison), 1)
        self.assertIn("第二项", to_liaison[0].body)
        self.assertIn("待签收", to_liaison[0].body)
        self.assertIn("临近时限", to_liaison[0].body)
        self.assertEqual(
            len([m for m in mail.outbox if m.to == [self.head_a.email]]), 1
        )
        # nothing overdue: the office is not bothered, other units neither
        self.assertFalse([m for m in mail.outbox if m.to == [self.office.email]])
        self.assertFalse([m for m in mail.outbox if m.to == [self.liaison_b.email]])
        self.assertEqual(
            Notification.objects.filter(recipient=self.liaison_a).count(), before + 1
        )
        sent = len(mail.outbox)
        self.assertIn("已提醒 0 人", self.run_cmd(today))  # same day again
        self.assertEqual(len(mail.outbox), sent)
        self.run_cmd(today + timedelta(days=1))  # next day: again
        self.assertGreater(len(mail.outbox), sent)

    def test_overdue_escalates_to_head_and_office(self):
        today = timezone.localdate()
        task = make_task(
            by=self.office,
            lead=self.unit_b,
            co=[self.unit_a],
            due=today - timedelta(days=3),
        )
        services.task_sign(task=task, by=self.liaison_b)
        mail.outbox.clear()
        self.run_cmd(today)
        recipients = {m.to[0] for m in mail.outbox}
        self.assertIn(self.office.email, recipients)
        self.assertIn(self.liaison_b.email, recipients)
        self.assertIn(self.head_a.email, recipients)  # co-unit's head
        self.assertNotIn(self.leader.email, recipients)
        office_mail = next(m for m in mail.outbox if m.to == [self.office.email])
        self.assertIn("已逾期", office_mail.body)
        self.assertIn(task.code, office_mail.body)
