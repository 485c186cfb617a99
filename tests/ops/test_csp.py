"""Strict Content-Security-Policy, and pages that live within it.

Every page whose URL needs no argument is fetched as office (and as a liaison),
plus the detail pages of one object of each kind, and each HTML answer must carry
the CSP header and contain no inline <script> and no style="…" attribute. Pages of
apps that are not built yet are simply not in the URL table, so this test grows
with the portal.
"""

from __future__ import annotations

import re
from datetime import date

from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from tests.base import PortalTestCase

INLINE_SCRIPT = re.compile(
    r"<script\b(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)[^>]*>", re.I
)
STYLE_ATTR = re.compile(r"\sstyle\s*=\s*[\"']", re.I)
SKIP_NAMESPACES = {"admin"}  # Django's own admin is checked by Django
SKIP_NAMES = {"logout", "set_language"}


def url_names(patterns=None, prefix: str = "") -> list[str]:
    names = []
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            if p.namespace in SKIP_NAMESPACES:
                continue
            ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
            names += url_names(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name:
            names.append(prefix + p.name)
    return sorted(set(names))


def argless_urls() -> dict[str, str]:
    urls = {}
    for name in url_names():
        if name in SKIP_NAMES:
            continue
        try:
            urls[name] = reverse(name)
        except NoReverseMatch:
            continue
    return urls


class CSPTests(PortalTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.object_urls = []
        try:
            from tests.tasks.factories import issued_decisions, make_task, work_plan
        except ImportError:  # pragma: no cover - tasks app not there yet
            return
        decision = issued_decisions(cls.office, ["开展知识产权联合执法行动"])[0]
        task = make_task(
            by=cls.office, lead=cls.unit_a, co=[cls.unit_b], decision=decision
        )
        plan = work_plan(cls.office, year=date.today().year)
        for obj in (task, plan, decision.minutes.meeting, decision.minutes, cls.unit_a):
            try:
                cls.object_urls.append(obj.get_absolute_url())
            except NoReverseMatch:
                continue  # that app's pages are not built yet

    def assertStrictPage(self, url: str, response) -> None:
        policy = response.get("Content-Security-Policy", "")
        self.assertIn("script-src 'self'", policy, url)
        self.assertIn("style-src 'self'", policy, url)
        self.assertNotIn("unsafe-inline", policy, url)
        self.assertNotIn("unsafe-eval", policy, url)
        html = response.content.decode()
        inline = INLINE_SCRIPT.findall(html)
        self.assertFalse(inline, f"{url}: inline script {inline[:1]}")
        styled = [
            html[max(0, m.start() - 60) : m.end() + 40]
            for m in STYLE_ATTR.finditer(html)
        ]
        self.assertFalse(styled, f"{url}: style attribute {styled[:1]}")

    def check(self, user, urls) -> int:
        checked = 0
        for url in urls:
            response = self.get_as(user, url)
            if response.status_code != 200:
                continue
            if "text/html" not in response.get("Content-Type", ""):
                self.assertIn("Content-Security-Policy", response, url)
                continue
            self.assertStrictPage(url, response)
            checked += 1
        return checked

    def test_office_pages(self) -> None:
        urls = [*argless_urls().values(), *self.object_urls]
        checked = self.check(self.office, urls)
        self.assertGreaterEqual(checked, 5)

    def test_unit_pages(self) -> None:
        checked = self.check(
            self.liaison_a, [*argless_urls().values(), *self.object_urls]
        )
        self.assertGreaterEqual(checked, 3)

    def test_login_page(self) -> None:
        response = self.get_as(None, reverse("login"))
        self.assertEqual(response.status_code, 200)
        self.assertStrictPage(reverse("login"), response)

    def test_detector(self) -> None:
        self.assertTrue(INLINE_SCRIPT.search("<script>alert(1)</script>"))
        self.assertTrue(INLINE_SCRIPT.search('<script type="module">x</script>'))
        self.assertFalse(
            INLINE_SCRIPT.search('<script src="/static/js/portal.js"></script>')
        )
        self.assertFalse(
            INLINE_SCRIPT.search('<script type="application/json" id="d">{}</script>')
        )
        self.assertTrue(STYLE_ATTR.search('<div style="color:red">'))
        self.assertFalse(STYLE_ATTR.search('<div data-style="x">'))
