"""Sessions end after an idle period; cookies are secure in production."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from tests.base import PortalTestCase


class IdleTimeoutTests(PortalTestCase):
    def test_settings(self) -> None:
        self.assertLessEqual(settings.SESSION_COOKIE_AGE, 30 * 60)
        self.assertTrue(settings.SESSION_SAVE_EVERY_REQUEST)
        self.assertTrue(settings.SESSION_EXPIRE_AT_BROWSER_CLOSE)
        self.assertTrue(settings.SESSION_COOKIE_HTTPONLY)
        self.assertEqual(settings.SESSION_ENGINE, "django.contrib.sessions.backends.db")

    def session(self) -> Session:
        return Session.objects.get(session_key=self.client.session.session_key)

    def test_every_request_pushes_the_expiry(self) -> None:
        self.client.force_login(self.office)
        self.client.get(reverse("home"))
        Session.objects.filter(pk=self.session().pk).update(
            expire_date=timezone.now() + timedelta(seconds=30)
        )
        self.assertEqual(self.client.get(reverse("home")).status_code, 200)
        left = self.session().expire_date - timezone.now()
        self.assertGreater(left, timedelta(seconds=settings.SESSION_COOKIE_AGE - 60))

    def test_idle_session_ends(self) -> None:
        self.client.force_login(self.liaison_a)
        self.assertEqual(self.client.get(reverse("home")).status_code, 200)
        Session.objects.filter(pk=self.session().pk).update(
            expire_date=timezone.now() - timedelta(seconds=1)
        )
        self.assertLoginRedirect(self.client.get(reverse("home")))
