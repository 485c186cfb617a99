"""A mail server that is down never fails a committed change: the task is
assigned once, the request answers normally, and the office sees the failure."""

from __future__ import annotations

from datetime import timedelta
from smtplib import SMTPServerDisconnected
from unittest import mock

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from notices.models import Notification
from tasks.models import Task
from tests.base import PortalTestCase
from tests.tasks.factories import issued_decisions


def refuse(*args, **kwargs):
    raise ConnectionRefusedError(111, "Connection refused")


class MailFailureTests(PortalTestCase):
    def test_assign_with_mail_server_down(self) -> None:
        decision = issued_decisions(self.office, ["开展知识产权宣传周活动"])[0]
        before = Task.objects.count()
        office_notes = Notification.objects.filter(recipient=self.office).count()
        self.login(self.office)
        with mock.patch(
            "django.core.mail.backends.locmem.EmailBackend.send_messages",
            side_effect=refuse,
        ):
            with self.captureOnCommitCallbacks(execute=True):
                response = self.client.post(
                    reverse("tasks:create_from_decision", args=[decision.pk]),
                    {
                        "title": "开展知识产权宣传周活动",
                        "description": "组织宣传周活动。",
                        "lead": self.unit_a.pk,
                        "due": (timezone.localdate() + timedelta(days=30)).isoformat(),
                    },
                )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Task.objects.count(), before + 1)
        failures = Notification.objects.filter(
            recipient=self.office, text__startswith="邮件未能发出"
        )
        self.assertGreater(failures.count(), 0)
        self.assertEqual(
            Notification.objects.filter(recipient=self.office).count(),
            office_notes + failures.count(),
        )
        self.assertIn("liaison_a@example.invalid", "".join(f.text for f in failures))

    def test_mail_still_sent_when_the_server_is_up(self) -> None:
        from notices.services import notify

        with self.captureOnCommitCallbacks(execute=True):
            notify([self.liaison_a], text="测试", url="/tasks/", subject="主题")
        self.assertEqual(len(mail.outbox), 1)

    def test_smtp_disconnect_is_recorded_not_raised(self) -> None:
        from notices.services import notify

        with mock.patch(
            "notices.services.send_mail",
            side_effect=SMTPServerDisconnected("gone"),
        ):
            with self.captureOnCommitCallbacks(execute=True):
                notify([self.liaison_a], text="测试", url="/tasks/", subject="主题")
        self.assertTrue(
            Notification.objects.filter(
                recipient=self.office, text__contains="主题"
            ).exists()
        )
