"""Mail goes through the outbox: the request never waits for the mail server,
a failing server loses nothing, and each mail is sent exactly once."""

from __future__ import annotations

import time
from datetime import timedelta
from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from jobs import services
from jobs.background import deliver_mail
from jobs.models import Mail
from tasks import services as task_services
from tests.base import PortalTestCase
from tests.tasks.factories import make_task

from .helpers import drain, queued, run_retries

DOWN = "tests.jobs.helpers.DownBackend"
SLOW = "tests.jobs.helpers.SlowBackend"


class MailThroughTheQueueTests(PortalTestCase):
    def setUp(self):
        self.task = make_task(by=self.office, lead=self.unit_a)
        task_services.task_sign(task=self.task, by=self.liaison_a)
        task_services.progress_report_file(
            task=self.task, by=self.liaison_a, text="x", percent=10
        )
        Mail.objects.all().delete()
        mail.outbox.clear()

    def return_task(self):
        with self.captureOnCommitCallbacks(execute=True):
            return self.post_as(
                self.office,
                reverse("tasks:return", args=[self.task.pk]),
                {"reason": "请补充数据"},
            )

    @override_settings(EMAIL_BACKEND=SLOW)
    def test_slow_mail_server_does_not_hold_the_request(self):
        with queued():
            started = time.monotonic()
            response = self.return_task()
            elapsed = time.monotonic() - started
            self.assertEqual(response.status_code, 302)
            self.assertLess(elapsed, 1.5)  # the server takes 2 s per message
            queued_mail = Mail.objects.get(to=self.liaison_a.email)
            self.assertEqual(queued_mail.state, Mail.State.PENDING)
            self.assertEqual(mail.outbox, [])
            self.assertGreaterEqual(drain(), 1)  # the worker sends it
        queued_mail.refresh_from_db()
        self.assertEqual(queued_mail.state, Mail.State.SENT)
        self.assertEqual(
            len([m for m in mail.outbox if m.to == [self.liaison_a.email]]), 1
        )

    def test_mail_server_down_for_an_hour_then_back_sends_once(self):
        with override_settings(EMAIL_BACKEND=DOWN):
            response = self.return_task()  # the queue tries at once, in tests
            self.assertEqual(response.status_code, 302)  # not a 500
            down = Mail.objects.get(to=self.liaison_a.email)
            self.assertEqual(down.state, Mail.State.PENDING)
            self.assertEqual(down.attempts, 1)
            self.assertIn("SMTPConnectError", down.last_error)
            self.assertIn("【退回】", down.subject)
            queued_count = Mail.objects.count()  # the unit's liaison and head
            self.assertEqual(queued_count, 2)
            # an hour of the server refusing: the queue retries, waits growing
            tried = 1
            waited = 0
            while waited < 3600:
                wait = services.mail_backoff(tried)
                self.assertEqual(run_retries(timedelta(seconds=wait + 1)), queued_count)
                tried += 1
                waited += wait
                down.refresh_from_db()
                self.assertEqual(down.state, Mail.State.PENDING)
                self.assertEqual(down.attempts, tried)
            self.assertGreater(services.mail_backoff(tried), services.mail_backoff(1))
        self.assertEqual(mail.outbox, [])
        # the server is back: the next retry sends it, once
        self.assertEqual(run_retries(timedelta(hours=2)), queued_count)
        down.refresh_from_db()
        self.assertEqual(down.state, Mail.State.SENT)
        self.assertEqual(down.attempts, tried + 1)
        self.assertEqual(
            sorted(m.to[0] for m in mail.outbox),
            sorted([self.liaison_a.email, self.head_a.email]),
        )
        # nothing left to retry, and a duplicate message sends nothing
        self.assertEqual(run_retries(timedelta(days=1)), 0)
        self.assertEqual(deliver_mail.call_local(down.pk), "skip")
        self.assertEqual(len(mail.outbox), queued_count)

    @override_settings(EMAIL_BACKEND=DOWN)
    def test_gives_up_after_the_last_attempt_and_office_resends(self):
        response = self.return_task()
        self.assertEqual(response.status_code, 302)
        down = Mail.objects.get(to=self.liaison_a.email)
        for _ in range(services.MAIL_MAX_ATTEMPTS - 1):
            run_retries(timedelta(days=1))
        down.refresh_from_db()
        self.assertEqual(down.state, Mail.State.FAILED)
        self.assertEqual(down.attempts, services.MAIL_MAX_ATTEMPTS)
        self.assertEqual(run_retries(timedelta(days=1)), 0)
        page = self.get_as(self.office, reverse("jobs:outbox") + "?state=failed")
        self.assertContains(page, "发送失败")
        self.assertContains(page, "SMTPConnectError")
        self.assertContains(page, "重新发送")
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"
        ):
            with self.captureOnCommitCallbacks(execute=True):
                response = self.post_as(
                    self.office, reverse("jobs:mail_resend", args=[down.pk])
                )
        self.assertRedirects(response, reverse("jobs:outbox"))
        down.refresh_from_db()
        self.assertEqual(down.state, Mail.State.SENT)
        self.assertEqual([m.to for m in mail.outbox], [[self.liaison_a.email]])


class ExactlyOnceTests(PortalTestCase):
    def queue_one(self) -> Mail:
        with queued():
            with self.captureOnCommitCallbacks(execute=True):
                queued_mail = services.mail_queue(
                    to="a@example.invalid", subject="主题", body="正文"
                )
            self.assertEqual(drain(), 1)
        queued_mail.refresh_from_db()
        return queued_mail

    def test_a_message_delivered_twice_sends_once(self):
        sent = self.queue_one()
        self.assertEqual(sent.state, Mail.State.SENT)
        self.assertEqual(services.mail_deliver(mail_id=sent.pk), ("skip", 0))
        self.assertEqual(len(mail.outbox), 1)

    def test_a_mail_held_by_a_live_worker_is_left_alone(self):
        pending = Mail.objects.create(
            to="b@example.invalid",
            subject="s",
            body="b",
            claimed_until=timezone.now() + timedelta(seconds=60),
            next_attempt_at=timezone.now() - timedelta(hours=1),
        )
        self.assertEqual(services.mail_deliver(mail_id=pending.pk), ("skip", 0))
        self.assertEqual(services.sweep()["mail"], 0)
        self.assertEqual(mail.outbox, [])

    def test_a_worker_killed_mid_send_is_swept_and_sent_once(self):
        # a worker claimed the mail and died before the server took it: the
        # claim ran out, the queue's message went with the worker
        lost = Mail.objects.create(
            to="c@example.invalid",
            subject="s",
            body="b",
            attempts=1,
            claimed_until=timezone.now() - timedelta(seconds=1),
            next_attempt_at=timezone.now() - timedelta(minutes=10),
        )
        with queued():
            self.assertEqual(services.sweep()["mail"], 1)
            self.assertEqual(drain(), 1)
            self.assertEqual(services.sweep()["mail"], 0)
        lost.refresh_from_db()
        self.assertEqual(lost.state, Mail.State.SENT)
        self.assertEqual(lost.attempts, 2)
        self.assertEqual(len(mail.outbox), 1)

    def test_rolled_back_action_sends_nothing(self):
        from django.db import transaction

        with self.captureOnCommitCallbacks(execute=True):
            try:
                with transaction.atomic():
                    services.mail_queue(to="d@example.invalid", subject="s", body="b")
                    raise RuntimeError
            except RuntimeError:
                pass
        self.assertFalse(Mail.objects.exists())
        self.assertEqual(mail.outbox, [])


class OutboxPageTests(PortalTestCase):
    url = "/jobs/outbox/"

    def make_mail(self, n: int, state=Mail.State.SENT) -> None:
        Mail.objects.bulk_create(
            Mail(
                to=f"p{i}@example.invalid",
                subject=f"通知{i}",
                body="b",
                state=state,
                recipient=self.liaison_a,
            )
            for i in range(n)
        )

    def test_permission_matrix(self):
        self.assertEqual(self.url, reverse("jobs:outbox"))
        self.assertEqual(self.get_as(self.office, self.url).status_code, 200)
        for person in (self.leader, self.liaison_a, self.head_a, self.outsider):
            self.assertEqual(self.get_as(person, self.url).status_code, 403)
        self.assertLoginRedirect(self.get_as(None, self.url))
        self.make_mail(1, Mail.State.FAILED)
        resend = reverse("jobs:mail_resend", args=[Mail.objects.get().pk])
        self.assertEqual(self.get_as(self.office, resend).status_code, 405)
        self.assertEqual(self.post_as(self.liaison_a, resend).status_code, 403)
        self.assertLoginRedirect(self.post_as(None, resend))
        self.assertEqual(Mail.objects.get().state, Mail.State.FAILED)
        missing = reverse("jobs:mail_resend", args=[999999])
        self.assertEqual(self.post_as(self.office, missing).status_code, 404)

    def test_states_search_and_figures(self):
        self.make_mail(2)
        Mail.objects.create(
            to="late@example.invalid",
            subject="督办提醒",
            body="b",
            attempts=3,
            last_error="SMTPServerDisconnected: gone",
            next_attempt_at=timezone.now() + timedelta(minutes=4),
        )
        page = self.get_as(self.office, self.url)
        self.assertContains(page, "已发送", count=None)
        self.assertContains(page, "待发送")
        self.assertContains(page, "SMTPServerDisconnected: gone")
        self.assertContains(page, "后台队列状态")
        found = self.get_as(self.office, self.url + "?q=late%40")
        self.assertContains(found, "late@example.invalid")
        self.assertNotContains(found, "p0@example.invalid")
        only_sent = self.get_as(self.office, self.url + "?state=sent")
        self.assertNotContains(only_sent, "late@example.invalid")
        wrong = self.get_as(self.office, self.url + "?state=nonsense&page=x")
        self.assertEqual(wrong.status_code, 200)

    def test_queries_do_not_grow_with_the_outbox(self):
        self.make_mail(3)
        self.login(self.office)
        self.client.get(self.url)
        with self.assertNumQueries(10) as small:
            self.client.get(self.url)
        self.make_mail(60)
        with self.assertNumQueries(len(small.captured_queries)):
            response = self.client.get(self.url)
        self.assertContains(response, "下一页")


class StatusCommandTests(PortalTestCase):
    def test_prints_queue_and_failures(self):
        Mail.objects.create(
            to="x@example.invalid", subject="s", body="b", state="failed"
        )
        out = StringIO()
        call_command("queue_status", stdout=out)
        text = out.getvalue()
        self.assertIn("发送失败邮件：1", text)
        self.assertIn("队列中的作业：0", text)
