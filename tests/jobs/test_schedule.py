"""The daily digest and the sweep run on the queue's own schedule (no cron)."""

from __future__ import annotations

from datetime import datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

from django.core import mail
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from jobs.models import Mail
from notices.background import digest_due
from notices.models import ReminderLog
from tasks import services as task_services
from tests.base import PortalTestCase
from tests.tasks.factories import make_task

SHANGHAI = ZoneInfo("Asia/Shanghai")


def utc_naive(local: datetime) -> datetime:
    """huey keeps its clock in naive UTC."""
    return local.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


class ScheduleTests(PortalTestCase):
    def setUp(self):
        today = timezone.localdate()
        task = make_task(
            by=self.office, lead=self.unit_a, due=today + timedelta(days=1)
        )
        task_services.task_sign(task=task, by=self.liaison_a)
        Mail.objects.all().delete()
        mail.outbox.clear()
        self.today = today

    def due_at(self, hour: int, minute: int) -> set[str]:
        local = datetime(
            self.today.year,
            self.today.month,
            self.today.day,
            hour,
            minute,
            tzinfo=SHANGHAI,
        )
        return {t.name for t in HUEY.read_periodic(utc_naive(local))}

    def test_digest_and_sweep_are_periodic_jobs(self):
        self.assertIn("daily_digest", self.due_at(8, 10))
        self.assertNotIn("daily_digest", self.due_at(8, 11))
        self.assertIn("sweep_lost_work", self.due_at(8, 11))

    def test_no_digest_on_a_day_off(self):
        morning = datetime.combine(self.today, datetime.min.time(), SHANGHAI)
        with mock.patch("notices.background.is_workday", return_value=False):
            with self.captureOnCommitCallbacks(execute=True):
                self.assertEqual(digest_due(morning.replace(hour=9)), [])
        self.assertFalse(Mail.objects.exists())

    @mock.patch("notices.background.is_workday", return_value=True)
    def test_digest_waits_for_its_hour_then_goes_once(self, _workday):
        morning = datetime.combine(self.today, datetime.min.time(), SHANGHAI)
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(digest_due(morning.replace(hour=7, minute=50)), [])
        self.assertFalse(ReminderLog.objects.exists())
        with self.captureOnCommitCallbacks(execute=True):
            sent = digest_due(morning.replace(hour=8, minute=0))
        people = {person for person, _counts in sent}
        self.assertIn(self.liaison_a, people)
        digest = Mail.objects.get(to=self.liaison_a.email)
        self.assertIn("【督办提醒】", digest.subject)
        self.assertEqual(digest.state, Mail.State.SENT)
        self.assertEqual(
            len([m for m in mail.outbox if m.to == [self.liaison_a.email]]), 1
        )
        # the next runs of the day send nothing again
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(digest_due(morning.replace(hour=8, minute=10)), [])
        self.assertEqual(Mail.objects.filter(to=self.liaison_a.email).count(), 1)

    @mock.patch("notices.background.is_workday", return_value=True)
    def test_one_digest_run_at_a_time(self, _workday):
        from django.core.cache import cache

        from notices.background import DIGEST_LOCK, daily_digest

        cache.add(DIGEST_LOCK, 1, timeout=60)  # another worker is sending
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(daily_digest.call_local(), 0)
        self.assertFalse(Mail.objects.exists())
        cache.delete(DIGEST_LOCK)
        with mock.patch(
            "notices.background.timezone.localtime",
            return_value=datetime.combine(
                self.today, datetime.min.time(), SHANGHAI
            ).replace(hour=9),
        ):
            with self.captureOnCommitCallbacks(execute=True):
                self.assertGreater(daily_digest.call_local(), 0)
        self.assertTrue(Mail.objects.filter(to=self.liaison_a.email).exists())
        self.assertFalse(cache.get(DIGEST_LOCK))
