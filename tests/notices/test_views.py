"""The bell and the notification list: a person sees and marks only their own."""

from __future__ import annotations

from django.core import mail
from django.urls import reverse

from notices.models import Notification
from notices.services import notify, notify_units
from notices.views import PER_PAGE
from tests.base import PortalTestCase


class NotificationPageTests(PortalTestCase):
    def test_marking_one_read_stays_on_its_page(self):
        notes = Notification.objects.bulk_create(
            [
                Notification(recipient=self.liaison_a, text=f"通知{i}", url="/tasks/")
                for i in range(PER_PAGE + 5)
            ]
        )
        page2 = self.get_as(self.liaison_a, reverse("notices:list") + "?page=2")
        self.assertContains(page2, '<input type="hidden" name="page" value="2">')
        note = page2.context["page"].object_list[0]
        response = self.client.post(
            reverse("notices:read", args=[note.pk]), {"page": "2"}
        )
        self.assertRedirects(response, reverse("notices:list") + "?page=2")
        note.refresh_from_db()
        self.assertIsNotNone(note.read_at)
        response = self.client.post(
            reverse("notices:read", args=[notes[0].pk]),
            {"page": "../x"},
        )
        self.assertRedirects(response, reverse("notices:list"))


class NotificationAccessTests(PortalTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.mine = Notification.objects.create(
            recipient=cls.liaison_a, text="给甲单位的通知", url="/tasks/"
        )
        cls.theirs = Notification.objects.create(
            recipient=cls.liaison_b, text="给乙单位的通知", url="/tasks/"
        )

    def test_anonymous_goes_to_login(self) -> None:
        for url in (
            reverse("notices:list"),
            reverse("notices:read", args=[self.mine.pk]),
            reverse("notices:read_all"),
        ):
            self.assertLoginRedirect(self.client.get(url))

    def test_only_ones_own(self) -> None:
        page = self.get_as(self.liaison_a, reverse("notices:list"))
        self.assertContains(page, "给甲单位的通知")
        self.assertNotContains(page, "给乙单位的通知")
        # another person's notification: not found, and stays unread
        response = self.client.post(reverse("notices:read", args=[self.theirs.pk]))
        self.assertEqual(response.status_code, 404)
        self.client.post(reverse("notices:read_all"))
        self.theirs.refresh_from_db()
        self.assertIsNone(self.theirs.read_at)
        self.mine.refresh_from_db()
        self.assertIsNotNone(self.mine.read_at)

    def test_changes_are_post_only(self) -> None:
        self.login(self.liaison_a)
        for url in (
            reverse("notices:read", args=[self.mine.pk]),
            reverse("notices:read_all"),
        ):
            self.assertEqual(self.client.get(url).status_code, 405)
        self.assertEqual(self.client.post(reverse("notices:list")).status_code, 405)

    def test_the_bell_counts_unread(self) -> None:
        page = self.get_as(self.liaison_a, reverse("home"))
        self.assertContains(page, f'href="{reverse("notices:list")}"')
        self.assertContains(page, '1<span class="visually-hidden">条未读')
        self.client.post(reverse("notices:read_all"))
        page = self.client.get(reverse("home"))
        self.assertNotContains(page, "条未读")

    def test_the_list_keeps_its_address(self) -> None:
        self.assertEqual(reverse("notices:list"), "/tasks/notifications/")


class NotifyTests(PortalTestCase):
    def test_in_app_for_each_and_mail_after_commit(self) -> None:
        mail.outbox.clear()
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            notes = notify(
                [self.liaison_a, self.liaison_a, self.head_a],
                text="请报送进展",
                url="/tasks/",
                subject="【督办】请报送进展",
            )
            self.assertEqual(mail.outbox, [])  # nothing before the commit
        self.assertEqual(len(notes), 2)
        for callback in callbacks:
            callback()
        self.assertEqual(
            sorted(m.to[0] for m in mail.outbox),
            sorted([self.liaison_a.email, self.head_a.email]),
        )
        self.assertIn("http://", mail.outbox[0].body)

    def test_without_subject_no_mail(self) -> None:
        mail.outbox.clear()
        with self.captureOnCommitCallbacks(execute=True):
            notify_units([self.unit_b], text="站内即可", url="/tasks/")
        self.assertEqual(mail.outbox, [])
        self.assertTrue(
            Notification.objects.filter(recipient=self.liaison_b, text="站内即可")
        )
