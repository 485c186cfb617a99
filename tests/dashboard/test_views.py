"""Dashboard, scorecard and home summary: who sees what, and constant query counts."""

from __future__ import annotations

import re

from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tasks import bulletins
from tasks.models import Bulletin
from tests.base import PortalTestCase
from tests.dashboard import factories

DASHBOARD = reverse("dashboard:index")


class DashboardPermissionTests(PortalTestCase):
    def test_office_and_leaders_open_it(self) -> None:
        for user in (self.office, self.leader, self.deputy):
            response = self.get_as(user, DASHBOARD)
            self.assertEqual(response.status_code, 200, user)
            self.assertContains(response, "各成员单位牵头任务完成情况")
            self.assertContains(response, 'id="dashboard-charts"')

    def test_units_and_people_without_role_get_404(self) -> None:
        for user in (self.liaison_a, self.head_a, self.liaison_b, self.nobody):
            self.assertEqual(self.get_as(user, DASHBOARD).status_code, 404, user)

    def test_anonymous_goes_to_login(self) -> None:
        self.assertLoginRedirect(self.get_as(None, DASHBOARD))

    def test_post_is_not_allowed(self) -> None:
        self.assertEqual(self.post_as(self.leader, DASHBOARD).status_code, 405)

    def test_no_inline_script_or_style(self) -> None:
        html = self.get_as(self.leader, DASHBOARD).content.decode()
        self.assertNotIn("<script>", html)
        self.assertNotIn('style="', html)
        self.assertIn("js/dashboard.js", html)
        self.assertIn("vendor/chartjs/chart.umd.min.js", html)

    def test_bad_filter_is_reported_not_a_crash(self) -> None:
        response = self.get_as(self.leader, DASHBOARD + "?unit=nope&year=1900")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "单位：")
        self.assertContains(response, "年度：")

    def test_plenary_warning(self) -> None:
        response = self.get_as(self.leader, DASHBOARD)
        self.assertContains(response, "尚未召开或计划全体会议")


@override_settings(DASHBOARD_CACHE_SECONDS=60)
class DashboardCacheTests(PortalTestCase):
    """The dashboard is counted once a minute per filter and served from the
    cache in between; the page says when it was counted."""

    def setUp(self) -> None:
        super().setUp()
        cache.clear()
        self.addCleanup(cache.clear)

    def body(self, user, url=DASHBOARD) -> tuple[str, int]:
        self.client.force_login(user)
        with CaptureQueriesContext(connection) as ctx:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        main = re.search(r'<main id="main".*?</main>', html, re.S).group(0)
        return main, len(ctx.captured_queries)

    def test_second_look_within_the_minute_comes_from_the_cache(self) -> None:
        factories.bulk_tasks(self.cast, 3)
        first, counted = self.body(self.leader)
        self.assertIn("每分钟更新", first)
        factories.bulk_tasks(self.cast, 6, start=3)
        again, served = self.body(self.office)  # the same page for the office
        self.assertEqual(again, first)
        self.assertIn('<div class="page-head">', again)  # markup, not escaped text
        self.assertLess(served, counted - 5)
        cache.clear()  # the minute is over
        fresh, _queries = self.body(self.office)
        self.assertNotEqual(fresh, first)

    def test_each_filter_is_counted_on_its_own(self) -> None:
        factories.bulk_tasks(self.cast, 3)
        this_year, _queries = self.body(self.leader)
        unit_url = DASHBOARD + f"?year=&unit={self.unit_a.code}"
        unit, counted = self.body(self.leader, unit_url)
        self.assertNotEqual(unit, this_year)
        self.assertGreater(counted, 10)
        self.assertEqual(self.body(self.deputy, unit_url)[0], unit)

    def test_home_figures_share_the_minute(self) -> None:
        factories.bulk_tasks(self.cast, 3)
        home = reverse("home")

        def led(user) -> str:
            html = self.get_as(user, home).content.decode()
            self.assertIn("每分钟更新", html)
            return re.search(r'data-figure="led">(\d+)<', html).group(1)

        first = led(self.office)
        factories.bulk_tasks(self.cast, 6, start=3)
        self.assertEqual(led(self.leader), first)
        cache.clear()
        self.assertEqual(int(led(self.leader)), int(first) + 6)

    def test_units_still_get_404_when_it_is_cached(self) -> None:
        self.body(self.leader)
        self.assertEqual(self.get_as(self.liaison_a, DASHBOARD).status_code, 404)

    @override_settings(DASHBOARD_CACHE_SECONDS=0)
    def test_off_counts_every_time(self) -> None:
        first, _queries = self.body(self.leader)
        self.assertNotIn("每分钟更新", first)
        factories.bulk_tasks(self.cast, 3)
        self.assertNotEqual(self.body(self.leader)[0], first)


class ScorecardVisibilityTests(PortalTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        factories.bulk_tasks(cls.cast, 3)

    def unit_page(self, user):
        return self.get_as(user, reverse("members:unit", args=[self.unit_a.code]))

    def test_own_unit_office_and_leaders_see_it(self) -> None:
        for user in (self.liaison_a, self.head_a, self.office, self.leader):
            response = self.unit_page(user)
            self.assertEqual(response.status_code, 200)
            self.assertContains(response, 'id="scorecard"', msg_prefix=str(user))

    def test_other_units_and_nobody_see_nothing(self) -> None:
        for user in (self.liaison_b, self.outsider, self.nobody):
            response = self.unit_page(user)
            self.assertEqual(response.status_code, 200)
            self.assertNotContains(response, 'id="scorecard"', msg_prefix=str(user))
            self.assertNotContains(response, "督办成绩单")

    def test_dashboard_link_only_for_overseers(self) -> None:
        self.assertContains(self.unit_page(self.leader), "在看板中查看")
        self.assertNotContains(self.unit_page(self.liaison_a), "在看板中查看")


class HomeSummaryTests(PortalTestCase):
    def test_office_and_leader_home_show_key_figures(self) -> None:
        for user in (self.office, self.leader):
            response = self.get_as(user, reverse("home"))
            self.assertContains(response, 'id="overseer-summary"')
            self.assertContains(response, reverse("dashboard:index"))
            self.assertContains(response, reverse("dashboard:bulletins"))

    def test_unit_home_has_no_summary(self) -> None:
        response = self.get_as(self.liaison_a, reverse("home"))
        self.assertNotContains(response, 'id="overseer-summary"')


class QueryCountTests(PortalTestCase):
    """Each page makes the same number of queries with 3 tasks as with 40."""

    def count(self, user, url: str) -> int:
        self.client.force_login(user)
        self.client.get(url)  # warm caches (sessions, content types)
        with CaptureQueriesContext(connection) as ctx:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        return len(ctx.captured_queries)

    def issue_bulletins(self, n: int) -> None:
        for _ in range(n):
            b = bulletins.bulletin_draft(
                period=Bulletin.Period.YEAR,
                year=factories.TODAY.year,
                by=self.office,
            )
            bulletins.bulletin_issue(bulletin=b, by=self.office)

    def test_constant_queries(self) -> None:
        urls = [
            (self.leader, DASHBOARD),
            (self.leader, DASHBOARD + f"?year=&unit={self.unit_a.code}"),
            (self.office, reverse("dashboard:bulletins")),
            (self.liaison_a, reverse("dashboard:bulletins")),
            (self.liaison_a, reverse("members:unit", args=[self.unit_a.code])),
            (self.office, reverse("home")),
            (self.liaison_a, reverse("home")),
        ]
        factories.bulk_tasks(self.cast, 3)
        self.issue_bulletins(1)
        small = [self.count(user, url) for user, url in urls]
        factories.bulk_tasks(self.cast, 40, start=3)
        self.issue_bulletins(4)
        for (user, url), expected in zip(urls, small, strict=True):
            self.client.force_login(user)
            self.client.get(url)  # the session's first refresh is written once
            with self.assertNumQueries(expected):
                response = self.client.get(url)
            self.assertEqual(response.status_code, 200, url)
