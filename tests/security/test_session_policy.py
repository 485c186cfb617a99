"""The security administrator's idle timeout ends a session that waited longer."""

from __future__ import annotations

import time

from django.test import override_settings
from django.urls import reverse

from security.models import AuditEntry, SecurityPolicy
from security.policy import forget_policy
from tests.base import PortalTestCase
from tests.cast import PASSWORD


@override_settings(SECURITY_DEMO_EXEMPT=False)
class IdleTimeoutPolicyTests(PortalTestCase):
    def setUp(self) -> None:
        SecurityPolicy.objects.update_or_create(
            pk=1, defaults={"session_idle_minutes": 10}
        )
        forget_policy()
        self.client.post(
            reverse("login"), {"username": "liaison_a", "password": PASSWORD}
        )
        self.assertEqual(self.client.get(reverse("home")).status_code, 200)

    def idle_for(self, seconds: int) -> None:
        session = self.client.session
        session["_refreshed_at"] = int(time.time()) - seconds
        session.save()

    def test_within_the_timeout_the_session_goes_on(self) -> None:
        self.idle_for(9 * 60)
        self.assertEqual(self.client.get(reverse("home")).status_code, 200)

    def test_past_the_timeout_the_person_signs_in_again(self) -> None:
        self.idle_for(11 * 60)
        self.assertLoginRedirect(self.client.get(reverse("home")))
        self.assertNotIn("_auth_user_id", self.client.session)
        entry = AuditEntry.objects.filter(action="session_expired").latest("seq")
        self.assertEqual(entry.username, "liaison_a")
