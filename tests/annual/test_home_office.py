"""The office's home page has a card of the open annual rounds (annual_tags
``annual_office_home``): figures per status and the lights the round's page
shows; nothing without an open round; a constant number of queries."""

from __future__ import annotations

import re
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from annual import services, services_pack
from annual.models import Submission
from members.models import Unit
from tests.base import PortalTestCase

from .factories import open_round, plenary, sub, submit

# issue 6: a page makes at most 15 queries (tests/oversight/test_views.py)
HOME_BUDGET = 15


def figure(page: str, year: int, name: str) -> str:
    """The number a figure of the year's round shows (its label's last word)."""
    block = re.sub(r'<span class="light [^"]*" aria-hidden="true"></span>', "", page)
    block = block.split(f'data-round="{year}"', 1)[1]
    text = block.split(f'data-figure="{name}">', 1)[1].split("</span>", 1)[0]
    return text.replace("</strong>", "").rsplit(" ", 1)[-1]


class OfficeHomeCardTests(PortalTestCase):
    HOME = reverse("home")

    def home(self, user=None) -> str:
        response = self.get_as(user or self.office, self.HOME)
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def count(self) -> int:
        self.client.force_login(self.office)
        self.client.get(self.HOME)  # the session's first refresh is written once
        with CaptureQueriesContext(connection) as ctx:
            self.client.get(self.HOME)
        return len(ctx.captured_queries)

    def test_no_open_round_no_card(self):
        self.assertNotIn('id="annual-office-card"', self.home())
        round_ = open_round(self.office, meeting=plenary(self.office))
        self.assertIn('id="annual-office-card"', self.home())
        pack = services_pack.pack_create(round_=round_, by=self.office)
        self.assertIn('id="annual-office-card"', self.home())
        services_pack.pack_issue(pack=pack, by=self.office)
        self.assertNotIn('id="annual-office-card"', self.home())

    def test_only_the_office(self):
        open_round(self.office)
        self.assertIn('id="annual-office-card"', self.home())
        for user in (self.leader, self.liaison_a):
            with self.subTest(user=user.username):
                self.assertNotIn('id="annual-office-card"', self.home(user))

    def test_figures_and_the_round_pages_lights(self):
        round_ = open_round(self.office)
        total = round_.submissions.count()
        submit(sub(round_, self.unit_a), self.liaison_a)
        returned = submit(sub(round_, self.unit_b), self.liaison_b)
        services.submission_return(submission=returned, by=self.office, reason="补充")
        page = self.home()
        self.assertIn(round_.get_absolute_url(), page)
        self.assertIn(f"已报送 1 / {total}", page)
        self.assertEqual(figure(page, 2026, "draft"), str(total - 2))
        self.assertEqual(figure(page, 2026, "returned"), "1")
        self.assertEqual(figure(page, 2026, "pending_head"), "0")
        today = timezone.localdate()
        lights = {"red": 0, "yellow": 0, "green": 0}
        for submission in round_.submissions.select_related("round"):
            light = submission.light_on(today)
            if light in lights:
                lights[light] += 1
        self.assertEqual(lights["yellow"], 1)  # the returned one (deadline 20 d)
        for name, n in lights.items():
            with self.subTest(light=name):
                self.assertEqual(figure(page, 2026, name), str(n))

    def test_past_the_deadline_every_waiting_unit_is_overdue(self):
        round_ = open_round(self.office)
        submit(sub(round_, self.unit_a), self.liaison_a)
        round_.deadline = timezone.localdate() - timedelta(days=1)
        round_.save(update_fields=["deadline"])
        page = self.home()
        waiting = round_.submissions.exclude(status=Submission.Status.SUBMITTED)
        self.assertEqual(figure(page, 2026, "red"), str(waiting.count()))
        self.assertEqual(figure(page, 2026, "green"), "0")
        self.assertIn("已过截止日期", page)

    def test_queries_do_not_grow_with_the_submissions(self):
        without = self.count()
        round_ = open_round(self.office)
        keep = [self.unit_a.pk, self.unit_b.pk]
        round_.submissions.exclude(unit_id__in=keep).delete()
        submit(sub(round_, self.unit_a), self.liaison_a)
        few = self.count()
        self.assertLessEqual(few, HOME_BUDGET)
        # the rounds' one query, asked whether or not a round is open
        self.assertEqual(few, without)
        Submission.objects.bulk_create(
            Submission(round=round_, unit=unit)
            for unit in Unit.objects.members().exclude(pk__in=keep)
        )
        for submission in round_.submissions.exclude(unit_id__in=keep)[:5]:
            Submission.objects.filter(pk=submission.pk).update(
                status=Submission.Status.SUBMITTED
            )
        self.assertGreater(round_.submissions.count(), 10)
        self.assertEqual(self.count(), few)
        # nor with the number of open rounds
        open_round(self.office, year=2025)
        self.assertEqual(self.count(), few)


class RosterFiguresTests(PortalTestCase):
    """The roster's two figures now come with the group's row (one query instead
    of three, to leave the home's budget to the apps' cards)."""

    def test_the_figures_are_the_counts(self):
        from members.models import User

        page = self.get_as(self.office, reverse("home")).content.decode()
        units = Unit.objects.members().count()
        accounts = User.objects.filter(is_active=True).exclude(role="").count()
        self.assertIn(f'id="roster-units"><span class="num">{units}</span>', page)
        self.assertIn(
            f'<span class="num">{accounts}</span><span class="label">在用账号', page
        )
        User.objects.filter(pk=self.liaison_b.pk).update(is_active=False)
        page = self.get_as(self.leader, reverse("home")).content.decode()
        self.assertIn(
            f'<span class="num">{accounts - 1}</span><span class="label">在用账号', page
        )
