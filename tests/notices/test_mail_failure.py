"""A mail server that is down never fails a committed change: the task is
assigned once, the request answers normally, and the failure is kept in the
outbox for the office to see (jobs.Mail)."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

from django.urls import reverse
from django.utils import timezone

from jobs.models import Mail
from tasks.models import Task
from tests.base import PortalTestCase
from tests.tasks.factories import issued_decisions


def refuse(*args, **kwargs):
    raise ConnectionRefusedError(111, "Connection refused")


class MailFailureTests(PortalTestCase):
    def test_assign_with_mail_server_down(self) -> None:
        decision = issued_decisions(self.office, ["开展知识产权宣传周活动"])[0]
        before = Task.objects.count()
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
        mail = Mail.objects.get(to="liaison_a@example.invalid")
        self.assertNotEqual(mail.state, Mail.State.SENT)
