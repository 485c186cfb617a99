"""Rate limits on expensive endpoints (jinwei_ip.lib.ratelimit)."""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from jinwei_ip.lib.ratelimit import parse_rate, ratelimit
from tests.base import PortalTestCase


@ratelimit(key="user", rate="3/m", group="test-pdf")
def pdf_view(request):
    return HttpResponse("pdf")


@ratelimit(key="user", rate="3/m", group="test-pdf")
def other_pdf_view(request):
    return HttpResponse("other pdf")


@ratelimit(key="ip", rate="2/h", group="test-import", methods=("POST",))
def import_view(request):
    return HttpResponse("import")


class RateLimitTests(PortalTestCase):
    def setUp(self) -> None:
        cache.clear()
        self.factory = RequestFactory()

    def call(self, view, user, method: str = "get", ip: str = "10.0.0.1"):
        request = getattr(self.factory, method)("/x/", REMOTE_ADDR=ip)
        request.user = user
        return view(request)

    def test_parse_rate(self) -> None:
        self.assertEqual(parse_rate("20/m"), (20, 60))
        self.assertEqual(parse_rate("5/10m"), (5, 600))
        self.assertEqual(parse_rate("100/h"), (100, 3600))
        with self.assertRaises(ValueError):
            parse_rate("twenty a minute")
        with self.assertRaises(ValueError):
            ratelimit(rate="3/fortnight")

    def test_over_the_limit_answers_429_in_chinese(self) -> None:
        for _ in range(3):
            self.assertEqual(self.call(pdf_view, self.office).status_code, 200)
        response = self.call(pdf_view, self.office)
        self.assertEqual(response.status_code, 429)
        self.assertIn("操作过于频繁", response.content.decode())
        self.assertGreaterEqual(int(response["Retry-After"]), 1)
        self.assertLessEqual(int(response["Retry-After"]), 60)

    def test_each_person_has_their_own_count(self) -> None:
        for _ in range(3):
            self.call(pdf_view, self.office)
        self.assertEqual(self.call(pdf_view, self.office).status_code, 429)
        self.assertEqual(self.call(pdf_view, self.liaison_a).status_code, 200)

    def test_views_of_one_group_share_the_count(self) -> None:
        for _ in range(3):
            self.call(pdf_view, self.liaison_b)
        self.assertEqual(self.call(other_pdf_view, self.liaison_b).status_code, 429)

    def test_ip_key_and_methods(self) -> None:
        for _ in range(5):  # GET is not counted
            self.assertEqual(self.call(import_view, self.office).status_code, 200)
        self.assertEqual(self.call(import_view, self.office, "post").status_code, 200)
        self.assertEqual(self.call(import_view, self.leader, "post").status_code, 200)
        # same address, different person: the address is what is counted
        self.assertEqual(self.call(import_view, self.head_a, "post").status_code, 429)
        other = self.call(import_view, self.head_a, "post", ip="10.0.0.2")
        self.assertEqual(other.status_code, 200)

    def test_logged_in_audit(self) -> None:
        for _ in range(3):
            self.call(pdf_view, self.outsider)
        with self.assertLogs("jinwei_ip.audit", "INFO") as logs:
            self.call(pdf_view, self.outsider)
        self.assertIn("rate_limited", logs.output[0])
        self.assertIn("user=outsider", logs.output[0])
        self.assertIn("group=test-pdf", logs.output[0])

    @override_settings(RATELIMIT_ENABLE=False)
    def test_switch_off(self) -> None:
        for _ in range(10):
            self.assertEqual(self.call(pdf_view, self.office).status_code, 200)

    @override_settings(RATELIMIT_RATES={"test-pdf": "1/m"})
    def test_rate_overridden_in_settings(self) -> None:
        self.assertEqual(self.call(pdf_view, self.deputy).status_code, 200)
        self.assertEqual(self.call(pdf_view, self.deputy).status_code, 429)
