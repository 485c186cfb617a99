"""Login lock-outs (django-axes): per username and address, with tiered cool-off."""

from __future__ import annotations

from datetime import timedelta

from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.test import RequestFactory, override_settings
from django.urls import reverse

from jinwei_ip.lib.security import COOLOFF_TIERS, cooloff_for_failures
from security.policy import axes_cooloff
from tests.base import PortalTestCase
from tests.cast import PASSWORD


class LockoutTests(PortalTestCase):
    url = ""

    def setUp(self) -> None:
        self.url = reverse("login")
        from security.policy import current_policy

        self.limit = current_policy().lockout_failures

    def login(self, username: str, password: str, ip: str):
        self.client.logout()
        return self.client.post(
            self.url, {"username": username, "password": password}, REMOTE_ADDR=ip
        )

    def fail_logins(self, username: str, ip: str, times: int) -> None:
        for _ in range(times):
            self.login(username, "not-the-password", ip)

    def test_settings(self) -> None:
        self.assertTrue(settings.AXES_ENABLED)
        self.assertEqual(settings.AXES_LOCKOUT_PARAMETERS, [["username", "ip_address"]])
        # the limit and the tiers are the security policy's (security admin's page)
        self.assertEqual(settings.AXES_COOLOFF_TIME, "security.policy.axes_cooloff")
        self.assertEqual(
            settings.AXES_FAILURE_LIMIT, "security.policy.axes_failure_limit"
        )

    def test_locked_after_limit_even_with_the_right_password(self) -> None:
        self.fail_logins("liaison_a", "10.2.0.1", self.limit - 1)
        response = self.login("liaison_a", PASSWORD, "10.2.0.1")
        self.assertEqual(response.status_code, 302)  # one short of the limit: fine
        self.fail_logins("liaison_a", "10.2.0.1", self.limit)
        response = self.login("liaison_a", PASSWORD, "10.2.0.1")
        self.assertEqual(response.status_code, 429)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_colleague_behind_the_same_nat_is_not_locked(self) -> None:
        self.fail_logins("liaison_a", "10.2.0.2", self.limit + 1)
        self.assertEqual(self.login("liaison_a", PASSWORD, "10.2.0.2").status_code, 429)
        response = self.login("head_a", PASSWORD, "10.2.0.2")
        self.assertEqual(response.status_code, 302)
        self.assertEqual(int(self.client.session["_auth_user_id"]), self.head_a.pk)

    def test_same_username_from_another_address_is_not_locked(self) -> None:
        self.fail_logins("liaison_b", "10.2.0.3", self.limit + 1)
        self.assertEqual(self.login("liaison_b", PASSWORD, "10.2.0.3").status_code, 429)
        response = self.login("liaison_b", PASSWORD, "10.2.0.4")
        self.assertEqual(response.status_code, 302)
        self.assertEqual(int(self.client.session["_auth_user_id"]), self.liaison_b.pk)

    def test_lockout_is_audited(self) -> None:
        from jinwei_ip.lib.audit import connect_audit_signals

        connect_audit_signals()
        with self.assertLogs("jinwei_ip.audit", "WARNING") as logs:
            self.fail_logins("outsider", "10.2.0.5", self.limit)
        self.assertTrue(any("login_locked_out" in line for line in logs.output))

    def test_tiers(self) -> None:
        limit = self.limit
        self.assertEqual(cooloff_for_failures(limit), COOLOFF_TIERS[0])
        self.assertEqual(cooloff_for_failures(2 * limit), COOLOFF_TIERS[1])
        self.assertEqual(cooloff_for_failures(3 * limit), COOLOFF_TIERS[2])
        self.assertEqual(cooloff_for_failures(50 * limit), timedelta(hours=4))

    def _request(self, username: str, ip: str):
        request = RequestFactory().post(
            self.url, {"username": username}, REMOTE_ADDR=ip
        )
        request.axes_ip_address = ip
        return request

    def test_cooloff_grows_with_failures_of_that_username_and_address(self) -> None:
        self.fail_logins("liaison_a", "10.2.0.6", 2 * self.limit)
        self.assertEqual(
            axes_cooloff(self._request("liaison_a", "10.2.0.6")), COOLOFF_TIERS[1]
        )
        # another address, another username: still the first tier
        self.assertEqual(
            axes_cooloff(self._request("liaison_a", "10.2.0.7")), COOLOFF_TIERS[0]
        )
        self.assertEqual(
            axes_cooloff(self._request("head_a", "10.2.0.6")), COOLOFF_TIERS[0]
        )
        self.assertEqual(axes_cooloff(None), COOLOFF_TIERS[0])

    @override_settings(AXES_ENABLE_ACCESS_FAILURE_LOG=True)
    def test_tiers_survive_the_end_of_a_cooloff_with_the_failure_log(self) -> None:
        self.fail_logins("liaison_b", "10.2.0.8", 3 * self.limit)
        self.assertEqual(
            AccessFailureLog.objects.filter(username="liaison_b").count(),
            3 * self.limit,
        )
        AccessAttempt.objects.all().delete()  # the cool-off ended
        self.assertEqual(
            axes_cooloff(self._request("liaison_b", "10.2.0.8")), COOLOFF_TIERS[2]
        )


@override_settings(
    AXES_USE_ATTEMPT_EXPIRATION=True, AXES_ENABLE_ACCESS_FAILURE_LOG=True
)
class LockoutWithExpiryAndFailureLogTests(LockoutTests):
    """The same behaviour with the settings recommended for production: each attempt
    keeps its own expiry, failures are logged for the tiers."""

    def test_one_short_cooloff_does_not_clean_away_a_long_one(self) -> None:
        from axes.models import AccessAttemptExpiration

        self.fail_logins("liaison_a", "10.3.0.1", 3 * self.limit + 1)  # 4-hour tier
        attempt = AccessAttempt.objects.get(username="liaison_a", ip_address="10.3.0.1")
        expiry = AccessAttemptExpiration.objects.get(access_attempt=attempt).expires_at
        self.assertGreater(expiry - attempt.attempt_time, timedelta(hours=3))
        # Ten minutes later (still inside the 4 hours) someone else mistypes and
        # axes cleans up expired attempts. Without per-attempt expiry it would use
        # *that* person's 5-minute cool-off and delete the 4-hour lock.
        AccessAttempt.objects.filter(pk=attempt.pk).update(
            attempt_time=attempt.attempt_time - timedelta(minutes=10)
        )
        self.fail_logins("head_a", "10.3.0.2", 1)
        self.assertTrue(
            AccessAttempt.objects.filter(
                username="liaison_a", ip_address="10.3.0.1"
            ).exists()
        )
        self.assertEqual(self.login("liaison_a", PASSWORD, "10.3.0.1").status_code, 429)
