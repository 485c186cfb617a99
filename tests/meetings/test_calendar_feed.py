"""The personal meeting-calendar subscription: a page with the address, the feed a
calendar client fetches without a session, and resetting the address."""

from __future__ import annotations

import logging

from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from icalendar import Calendar

from meetings.models import Meeting
from members.models import CalendarFeedKey
from tests.cast import PASSWORD

from .test_views import MeetingsViewTestCase

SUBSCRIBE = "/meetings/calendar/"
RESET = "/meetings/calendar/reset/"


class CalendarFeedTests(MeetingsViewTestCase):
    def setUp(self) -> None:
        super().setUp()
        cache.clear()  # rate-limit counts of earlier tests from this address

    def feed_path(self, user) -> str:
        """The address the person's subscription page shows, without SITE_URL."""
        r = self.get_as(user, reverse("meetings:calendar_subscribe"))
        self.assertEqual(r.status_code, 200)
        url = r.context["feed_url"]
        self.assertContains(r, f'value="{url}"')
        self.client.logout()
        return url.removeprefix("http://127.0.0.1:8000")

    def fetch(self, path: str):
        """As a calendar client: no session cookie at all."""
        self.client.logout()
        self.client.cookies.clear()
        return self.client.get(path)

    def summaries(self, response) -> list[str]:
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "text/calendar; charset=utf-8")
        cal = Calendar.from_ical(response.content)
        return sorted(str(e["SUMMARY"]).split("（")[0] for e in cal.walk("VEVENT"))

    def session_summaries(self, user) -> list[str]:
        return self.summaries(self.get_as(user, reverse("meetings:calendar")))

    def test_feed_without_login_serves_what_the_session_feed_serves(self):
        for user in (self.office, self.liaison_a, self.liaison_b, self.nobody):
            with self.subTest(user=user.username):
                path = self.feed_path(user)
                r = self.fetch(path)
                self.assertEqual(self.summaries(r), self.session_summaries(user))
                self.assertEqual(r["Cache-Control"], "private, max-age=900")
        # Unit B's liaison is not in the special meeting of unit A: neither feed has it.
        unit_b = self.summaries(self.fetch(self.feed_path(self.liaison_b)))
        self.assertEqual(unit_b, ["全体会议"])
        self.assertNotIn("知识产权保护专题会议", unit_b)
        unit_a = self.summaries(self.fetch(self.feed_path(self.liaison_a)))
        self.assertIn("知识产权保护专题会议", unit_a)
        self.assertEqual(
            len(unit_a), Meeting.objects.visible_to(self.liaison_a).count()
        )

    def test_feed_follows_permission_changes(self):
        path = self.feed_path(self.liaison_b)
        self.assertNotIn("资金临时会议", self.summaries(self.fetch(path)))
        from members.services import account_save

        account_save(user=self.liaison_b, role="liaison", unit=self.unit_a)
        self.assertIn("资金临时会议", self.summaries(self.fetch(path)))

    def test_head_request(self):
        self.client.cookies.clear()
        r = self.client.head(self.feed_path(self.liaison_a))
        self.assertEqual(r.status_code, 200)

    def test_wrong_tokens_404(self):
        path = self.feed_path(self.liaison_a)
        token = path.rsplit("/", 1)[1].removesuffix(".ics")
        pk, digest = token.split("-")
        flipped = digest[:-1] + ("0" if digest[-1] != "0" else "1")
        for bad in (
            f"{pk}-{flipped}",
            f"{self.liaison_b.pk}-{digest}",  # another person's pk, same digest
            f"{pk}-{digest[:-1]}",
            "nonsense",
            f"-{digest}",
            f"999999-{digest}",
        ):
            with self.subTest(token=bad):
                r = self.fetch(f"/meetings/calendar/{bad}.ics")
                self.assertEqual(r.status_code, 404)
                self.assertNotIn(b"BEGIN:VCALENDAR", r.content)

    def test_no_address_before_the_page_was_opened(self):
        CalendarFeedKey.objects.filter(user=self.head_a).delete()
        key = CalendarFeedKey(user=self.head_a, secret="")
        self.assertEqual(
            self.fetch(f"/meetings/calendar/{key.token}.ics").status_code, 404
        )

    def test_reset_invalidates_the_old_address(self):
        old = self.feed_path(self.liaison_a)
        self.assertEqual(self.fetch(old).status_code, 200)
        r = self.post_as(self.liaison_a, RESET)
        self.assertRedirects(r, SUBSCRIBE, fetch_redirect_response=False)
        r = self.client.get(SUBSCRIBE)
        self.assertContains(r, "订阅地址已重置")
        new = self.feed_path(self.liaison_a)
        self.assertNotEqual(new, old)
        self.assertEqual(self.fetch(old).status_code, 404)
        self.assertEqual(self.fetch(new).status_code, 200)
        # Only the person's own address changed.
        other = self.feed_path(self.liaison_b)
        self.post_as(self.liaison_a, RESET)
        self.assertEqual(self.fetch(other).status_code, 200)

    def test_reset_is_post_only_and_confirmed(self):
        old = self.feed_path(self.liaison_a)
        self.assertEqual(self.get_as(self.liaison_a, RESET).status_code, 405)
        self.assertEqual(self.fetch(old).status_code, 200)
        r = self.get_as(self.liaison_a, SUBSCRIBE)
        self.assertContains(r, f'action="{RESET}" data-confirm="确认重置订阅地址？')
        self.assertLoginRedirect(self.post_as(None, RESET))

    def test_password_change_invalidates_the_address(self):
        old = self.feed_path(self.liaison_a)
        r = self.post_as(
            self.liaison_a,
            reverse("password_change"),
            {
                "old_password": PASSWORD,
                "new_password1": "another-Pass-456",
                "new_password2": "another-Pass-456",
            },
        )
        self.assertRedirects(r, reverse("password_change_done"))
        self.assertEqual(self.fetch(old).status_code, 404)
        self.liaison_a.refresh_from_db()
        new = self.feed_path(self.liaison_a)
        self.assertNotEqual(new, old)
        self.assertEqual(self.fetch(new).status_code, 200)

    def test_deactivated_account_404(self):
        path = self.feed_path(self.liaison_a)
        self.liaison_a.is_active = False
        self.liaison_a.save(update_fields=["is_active"])
        self.assertEqual(self.fetch(path).status_code, 404)

    def test_subscribe_page(self):
        r = self.get_as(self.liaison_a, SUBSCRIBE)
        key = CalendarFeedKey.objects.get(user=self.liaison_a)
        url = f"http://127.0.0.1:8000/meetings/calendar/{key.token}.ics"
        self.assertContains(r, f'value="{url}" readonly')
        self.assertContains(r, 'data-copy-target="feed-url"')
        self.assertContains(r, f'href="{reverse("meetings:calendar")}"')
        self.assertContains(r, "Outlook")
        # The same address on every visit until it is reset.
        self.assertContains(self.get_as(self.liaison_a, SUBSCRIBE), url)
        # The list's button leads here.
        self.assertContains(
            self.get_as(self.liaison_a, reverse("meetings:list")), SUBSCRIBE
        )
        self.assertLoginRedirect(self.get_as(None, SUBSCRIBE))

    @override_settings(SITE_URL="https://ip.example.gov.cn")
    def test_address_uses_site_url(self):
        r = self.get_as(self.liaison_a, SUBSCRIBE)
        self.assertContains(r, 'value="https://ip.example.gov.cn/meetings/calendar/')
        self.assertNotContains(r, "SITE_URL")  # the note is for the office only
        r = self.get_as(self.office, SUBSCRIBE)
        self.assertContains(r, "SITE_URL（https://ip.example.gov.cn）")

    @override_settings(SITE_URL="http://testserver")
    def test_no_site_url_note_when_it_matches(self):
        self.assertNotContains(self.get_as(self.office, SUBSCRIBE), "SITE_URL")

    def test_feed_is_audited_without_the_token(self):
        path = self.feed_path(self.liaison_a)
        token = path.rsplit("/", 1)[1]
        with self.assertLogs("jinwei_ip.audit", logging.INFO) as logs:
            self.fetch(path)
            self.fetch("/meetings/calendar/1-bad.ics")
        records = [r.audit for r in logs.records]
        export = next(a for a in records if a["event"] == "export")
        self.assertEqual(export["what"], "meetings_ics_feed")
        self.assertEqual(export["user"], "liaison_a")
        self.assertEqual(
            export["count"], Meeting.objects.visible_to(self.liaison_a).count()
        )
        self.assertIn("calendar_feed_refused", [a["event"] for a in records])
        self.assertNotIn(token, "\n".join(logs.output))

    @override_settings(RATELIMIT_RATES={"calendar_feed": "2/m"})
    def test_feed_rate_limited_per_address(self):
        path = self.feed_path(self.liaison_a)
        self.assertEqual(self.fetch(path).status_code, 200)
        self.assertEqual(self.fetch("/meetings/calendar/x.ics").status_code, 404)
        with self.assertLogs("jinwei_ip.audit", logging.INFO) as logs:
            r = self.fetch(path)
        self.assertEqual(r.status_code, 429)
        self.assertIn("Retry-After", r)
        # the address is the credential: the audit line masks it
        self.assertEqual(logs.records[-1].audit["event"], "rate_limited")
        self.assertEqual(logs.records[-1].audit["path"], "/meetings/calendar/***.ics")
        self.assertNotIn(
            path.rsplit("/", 1)[1].removesuffix(".ics"), "\n".join(logs.output)
        )
        other = self.client.get(path, REMOTE_ADDR="10.0.0.9")
        self.assertEqual(other.status_code, 200)

    def test_session_download_still_works_and_is_audited(self):
        with self.assertLogs("jinwei_ip.audit", logging.INFO) as logs:
            summaries = self.session_summaries(self.liaison_b)
        self.assertEqual(summaries, ["全体会议"])
        self.assertEqual(logs.records[-1].audit["what"], "meetings_ics")
        self.assertLoginRedirect(self.get_as(None, reverse("meetings:calendar")))
