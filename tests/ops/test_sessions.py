"""Sessions end after an idle period; cookies are secure in production."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from jinwei_ip.lib.security import SessionRefreshMiddleware
from tests.base import PortalTestCase


class IdleTimeoutTests(PortalTestCase):
    def test_settings(self) -> None:
        self.assertLessEqual(settings.SESSION_COOKIE_AGE, 30 * 60)
        self.assertFalse(settings.SESSION_SAVE_EVERY_REQUEST)
        self.assertIn(
            "jinwei_ip.lib.security.SessionRefreshMiddleware", settings.MIDDLEWARE
        )
        self.assertTrue(settings.SESSION_EXPIRE_AT_BROWSER_CLOSE)
        self.assertTrue(settings.SESSION_COOKIE_HTTPONLY)
        self.assertEqual(settings.SESSION_ENGINE, "django.contrib.sessions.backends.db")

    def session(self) -> Session:
        return Session.objects.get(session_key=self.client.session.session_key)

    def test_a_click_after_a_minute_pushes_the_expiry(self) -> None:
        self.client.force_login(self.office)
        self.client.get(reverse("home"))
        session = self.client.session
        session[SessionRefreshMiddleware.KEY] -= 61
        session.save()
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


@override_settings(SESSION_REFRESH_SECONDS=60)
class SessionRefreshMiddlewareTests(PortalTestCase):
    """SESSION_SAVE_EVERY_REQUEST's replacement: one session write a minute."""

    def expiry(self):
        key = self.client.session.session_key
        return Session.objects.get(session_key=key).expire_date

    def test_no_write_within_a_minute_and_a_refresh_after(self) -> None:
        self.client.force_login(self.office)
        self.client.get(reverse("home"))
        first = self.expiry()
        Session.objects.filter(expire_date=first).update(
            expire_date=first - timedelta(seconds=5)
        )
        with CaptureQueriesContext(connection) as queries:
            self.client.get(reverse("home"))
        self.assertFalse(
            [
                q
                for q in queries.captured_queries
                if "django_session" in q["sql"] and q["sql"].startswith("UPDATE")
            ]
        )
        self.assertEqual(self.expiry(), first - timedelta(seconds=5))
        # a minute later the next click pushes the expiry forward again
        session = self.client.session
        session[SessionRefreshMiddleware.KEY] -= 61
        session.save()
        self.client.get(reverse("home"))
        left = self.expiry() - timezone.now()
        self.assertGreater(left, timedelta(seconds=settings.SESSION_COOKIE_AGE - 60))

    def test_idle_session_still_ends(self) -> None:
        self.client.force_login(self.liaison_b)
        self.client.get(reverse("home"))
        Session.objects.filter(session_key=self.client.session.session_key).update(
            expire_date=timezone.now() - timedelta(seconds=1)
        )
        self.assertLoginRedirect(self.client.get(reverse("home")))
