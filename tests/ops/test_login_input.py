"""The login form answers a message for any input, never a server error."""

from __future__ import annotations

from axes.models import AccessAttempt
from django.urls import reverse

from tests.base import PortalTestCase


class LoginInputTests(PortalTestCase):
    def post(self, username: str, password: str = "x"):
        self.client.logout()
        return self.client.post(
            reverse("login"),
            {"username": username, "password": password},
            REMOTE_ADDR="10.9.0.1",
        )

    def test_overlong_username_is_refused_with_a_message(self) -> None:
        before = AccessAttempt.objects.count()
        for length in (151, 256, 300, 5000):
            response = self.post("a" * length)
            self.assertEqual(response.status_code, 200, length)
            self.assertContains(response, "用户名不能超过150个字符")
        # nothing recorded: no account can have such a name, and the axes
        # columns (255 characters) could not hold it
        self.assertEqual(AccessAttempt.objects.count(), before)

    def test_control_characters_and_overlong_password(self) -> None:
        for username, password in [
            ("office\x00", "x"),
            ("\u202eoffice", "x"),
            ("office", "p" * 5000),
            ("", ""),
        ]:
            response = self.post(username, password)
            self.assertEqual(response.status_code, 200, repr(username))
            self.assertContains(response, 'role="alert"')
