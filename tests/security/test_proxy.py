"""Behind nginx (BEHIND_PROXY=1): lock-outs, rate limits and the audit log key
on the client's address from the proxy's header, only when the request comes
from a trusted proxy."""

from __future__ import annotations

from django.conf import settings
from django.test import RequestFactory, override_settings
from django.urls import reverse

from jinwei_ip.lib.client import client_address, client_ip
from jinwei_ip.lib.ratelimit import request_key
from security.models import AuditEntry
from security.policy import current_policy
from tests.base import PortalTestCase
from tests.cast import PASSWORD

NGINX = "127.0.0.1"


def request(remote: str, **headers):
    return RequestFactory().get("/", REMOTE_ADDR=remote, **headers)


class ClientAddressTests(PortalTestCase):
    def test_settings_agree(self) -> None:
        self.assertEqual(
            settings.AXES_CLIENT_IP_CALLABLE, "jinwei_ip.lib.client.client_address"
        )
        self.assertIn("127.0.0.1", settings.TRUSTED_PROXIES)

    def test_without_a_proxy_headers_are_ignored(self) -> None:
        r = request(
            "10.0.0.9", HTTP_X_REAL_IP="6.6.6.6", HTTP_X_FORWARDED_FOR="6.6.6.6"
        )
        self.assertEqual(client_address(r), "10.0.0.9")

    @override_settings(BEHIND_PROXY=True)
    def test_behind_the_proxy(self) -> None:
        self.assertEqual(
            client_address(request(NGINX, HTTP_X_REAL_IP="10.5.0.1")), "10.5.0.1"
        )
        # X-Forwarded-For: the right-most entry that is not a trusted proxy; what
        # the client put to the left is not believed
        r = request(NGINX, HTTP_X_FORWARDED_FOR="6.6.6.6, 10.5.0.2")
        self.assertEqual(client_address(r), "10.5.0.2")
        r = request(NGINX, HTTP_X_FORWARDED_FOR="6.6.6.6, 10.5.0.3, 127.0.0.1")
        self.assertEqual(client_address(r), "10.5.0.3")
        # the rate limiter and the audit log read the same address
        self.assertEqual(
            client_ip(request(NGINX, HTTP_X_REAL_IP="10.5.0.4")), "10.5.0.4"
        )
        self.assertEqual(
            request_key(request(NGINX, HTTP_X_REAL_IP="10.5.0.4"), "ip"), "ip10.5.0.4"
        )

    @override_settings(BEHIND_PROXY=True)
    def test_a_direct_client_cannot_claim_an_address(self) -> None:
        r = request("10.7.7.7", HTTP_X_REAL_IP="10.5.0.1")
        self.assertEqual(client_address(r), "10.7.7.7")

    @override_settings(BEHIND_PROXY=True, TRUSTED_PROXIES=["10.3.0.0/24"])
    def test_a_proxy_on_another_host(self) -> None:
        r = request("10.3.0.10", HTTP_X_FORWARDED_FOR="10.5.0.8")
        self.assertEqual(client_address(r), "10.5.0.8")


@override_settings(BEHIND_PROXY=True)
class LockoutBehindProxyTests(PortalTestCase):
    def login(self, password: str, client_addr: str):
        self.client.logout()
        return self.client.post(
            reverse("login"),
            {"username": "liaison_a", "password": password},
            REMOTE_ADDR=NGINX,
            HTTP_X_REAL_IP=client_addr,
            HTTP_X_FORWARDED_FOR=client_addr,
        )

    def test_two_clients_behind_the_proxy_are_locked_separately(self) -> None:
        limit = current_policy().lockout_failures
        for _ in range(limit):
            self.login("wrong", "10.20.0.1")
        self.assertEqual(self.login(PASSWORD, "10.20.0.1").status_code, 429)
        # the same username from another client behind the same nginx signs in
        response = self.login(PASSWORD, "10.20.0.2")
        self.assertEqual(response.status_code, 302)
        self.assertEqual(int(self.client.session["_auth_user_id"]), self.liaison_a.pk)
        locked = AuditEntry.objects.filter(action="login_locked_out").latest("seq")
        self.assertEqual(locked.ip, "10.20.0.1")

    @override_settings(RATELIMIT_RATES={"calendar_feed": "1/m"})
    def test_rate_limits_by_address_count_each_client_behind_the_proxy(self) -> None:
        # the calendar feed is limited per address (no session)
        url = reverse("meetings:calendar_feed", args=["1-" + "0" * 40])
        self.client.logout()

        def get(addr: str) -> int:
            return self.client.get(
                url, REMOTE_ADDR=NGINX, HTTP_X_REAL_IP=addr
            ).status_code

        self.assertEqual(get("10.20.0.5"), 404)  # counted, then refused: no such key
        self.assertEqual(get("10.20.0.5"), 429)
        self.assertEqual(get("10.20.0.6"), 404)  # another client: its own count


class DeployDocTests(PortalTestCase):
    """docs/DEPLOY.md and the settings say the same about the proxy."""

    def env_file(self) -> list[str]:
        text = (settings.BASE_DIR / "docs" / "DEPLOY.md").read_text(encoding="utf-8")
        block = text.split("`/etc/jinwei-ip.env`", 1)[1].split("```sh", 1)[1]
        return block.split("```", 1)[0].strip().splitlines()

    def test_the_environment_file_sets_what_settings_read(self) -> None:
        lines = self.env_file()
        names = {
            line.split("=", 1)[0]
            for line in lines
            if "=" in line and not line.startswith("#")
        }
        self.assertIn("BEHIND_PROXY", names)
        self.assertIn("TRUSTED_PROXIES", names)
        self.assertNotIn("SECURITY_DEMO_EXEMPT", names)
        text = (settings.BASE_DIR / "docs" / "DEPLOY.md").read_text(encoding="utf-8")
        self.assertNotIn("AXES_PROXY_COUNT", text)  # not read by settings any more

    def test_no_inline_comment_inside_a_systemd_value(self) -> None:
        for line in self.env_file():
            if line.startswith("#") or "=" not in line:
                continue
            self.assertNotIn(" #", line.split("=", 1)[1], line)
