"""Dashboard, scorecard and home summary: who sees what, and constant query counts."""

from __future__ import annotations

import re
from unittest import mock

from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from duties.models import DutyClause
from oversight import services
from oversight.models import Bulletin
from tests.base import PortalTestCase
from tests.oversight import factories

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

    def test_unit_filter_names_the_unit_above_its_row(self) -> None:
        response = self.get_as(self.leader, DASHBOARD + f"?unit={self.unit_a.code}")
        self.assertContains(
            response, f"<span>{self.unit_a.name}牵头任务完成情况</span>"
        )
        self.assertNotContains(response, "<span>各成员单位牵头任务完成情况</span>")

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
            b = services.bulletin_draft(
                period=Bulletin.Period.YEAR,
                year=factories.TODAY.year,
                by=self.office,
            )
            services.bulletin_issue(bulletin=b, by=self.office)

    def test_constant_queries(self) -> None:
        urls = [
            (self.leader, DASHBOARD),
            (self.leader, DASHBOARD + f"?year=&unit={self.unit_a.code}"),
            (self.office, reverse("dashboard:bulletins")),
            (self.liaison_a, reverse("dashboard:bulletins")),
            (self.liaison_a, reverse("members:unit", args=[self.unit_a.code])),
            (self.office, reverse("home")),
            (self.liaison_a, reverse("home")),
            (self.leader, reverse("dashboard:figure_tasks") + "?year=&figure=led"),
            (
                self.liaison_a,
                reverse("dashboard:figure_tasks")
                + f"?year=&unit={self.unit_a.code}&figure=led",
            ),
        ]
        factories.bulk_tasks(self.cast, 3)
        self.issue_bulletins(1)
        small = [self.count(user, url) for user, url in urls]
        for (user, url), n in zip(urls, small, strict=True):
            self.assertLessEqual(n, 15, f"{user} {url}")  # issue 6: ≤ 15 per page
        factories.bulk_tasks(self.cast, 40, start=3)
        self.issue_bulletins(4)
        for (user, url), expected in zip(urls, small, strict=True):
            self.client.force_login(user)
            self.client.get(url)  # the session's first refresh is written once
            with self.assertNumQueries(expected):
                response = self.client.get(url)
            self.assertEqual(response.status_code, 200, url)


class FigureListTests(PortalTestCase):
    """Every figure links to the list of the tasks it counts, and the list holds
    exactly those tasks (factories: the 2025 figures worked out by hand)."""

    URL = reverse("dashboard:figure_tasks")

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        factories.build(cls.cast)

    def setUp(self) -> None:
        patcher = mock.patch("oversight.dashboard.today", return_value=factories.TODAY)
        patcher.start()
        self.addCleanup(patcher.stop)

    def codes(self, user, query: str) -> list[str]:
        response = self.get_as(user, f"{self.URL}?{query}")
        self.assertEqual(response.status_code, 200, query)
        table = response.content.decode().split('id="figure-tasks"', 1)[1]
        return re.findall(r'href="/tasks/\d+/">([^<]+)</a>', table)

    def test_menu_marks_the_dashboard(self) -> None:
        def active(url: str) -> list[str]:
            html = self.get_as(self.leader, url).content.decode()
            return re.findall(r'class="nav-link active"[^>]*>([^<]+)<', html)

        self.assertEqual(active(f"{self.URL}?year=2025&figure=led"), ["领导看板"])
        self.assertEqual(active(reverse("dashboard:index")), ["领导看板"])
        self.assertEqual(active(reverse("dashboard:bulletins")), ["工作通报"])

    def test_totals_lists(self) -> None:
        cases = {
            "led": ["T2", "T1", "T3", "T4", "T8", "T5", "T6", "T7"],
            "closed": ["T2", "T1", "T4"],
            "on_time": ["T2", "T1"],
            "closed_late": ["T4"],
            "open_overdue": ["T3", "T8"],
            "overdue": ["T3", "T4", "T8"],
            "light_red": ["T3", "T8"],
            "light_yellow": ["T5", "T7"],
        }
        for figure, expected in cases.items():
            codes = self.codes(self.leader, f"year=2025&figure={figure}")
            self.assertEqual(sorted(codes), sorted(expected), figure)

    def test_unit_row_counts_led_tasks_and_unit_filter_counts_co_tasks(self) -> None:
        a = self.unit_a.code
        self.assertEqual(
            sorted(
                self.codes(self.office, f"year=2025&unit={a}&scope=lead&figure=led")
            ),
            ["T1", "T2", "T3", "T4"],
        )
        self.assertEqual(
            sorted(self.codes(self.office, f"year=2025&unit={a}&figure=led")),
            ["T1", "T2", "T3", "T4", "T5"],
        )
        self.assertEqual(
            self.codes(self.office, f"year=2025&unit={a}&figure=co_handled"), ["T5"]
        )
        self.assertEqual(
            self.codes(self.office, f"year=2025&unit={a}&scope=lead&figure=overdue"),
            ["T3", "T4"],
        )

    def test_co_handled_list_is_not_headed_as_led(self) -> None:
        # The unit row's and the scorecard's 配合 figure link with scope=lead like
        # their other figures; its list is the tasks the unit co-handles.
        response = self.get_as(
            self.office,
            f"{self.URL}?year=2025&unit={self.unit_a.code}&scope=lead&figure=co_handled",
        )
        heading = response.content.decode().split('id="figure-title">', 1)[1]
        heading = heading.split("<", 1)[0].strip()
        self.assertEqual(heading, "配合任务")

    def test_days_late_as_the_average_counts_them(self) -> None:
        response = self.get_as(self.leader, f"{self.URL}?year=2025&figure=overdue")
        rows = response.content.decode().split("<tbody>", 1)[1].split("</tr>")
        late = {
            code: re.findall(r'<td class="text-end nowrap">(\S+?)</td>', row)[0]
            for row in rows
            for code in re.findall(r'href="/tasks/\d+/">(T\d)</a>', row)
        }
        self.assertEqual(late, {"T3": "14", "T4": "5", "T8": "1"})

    def test_dashboard_figures_link_to_their_lists(self) -> None:
        html = self.get_as(self.leader, DASHBOARD + "?year=2025").content.decode()
        totals = html.split('id="totals"', 1)[1].split("</section>", 1)[0]
        for figure in ("led", "closed", "on_time", "overdue", "light_red"):
            self.assertIn(
                f'href="{self.URL}?year=2025&amp;meeting=&amp;figure={figure}"', totals
            )
        row = html.split(f'data-unit="{self.unit_a.code}"', 1)[1].split("</tr>")[0]
        self.assertIn(
            f'href="{self.URL}?year=2025&amp;meeting=&amp;scope=lead&amp;figure='
            f'open_overdue&amp;unit={self.unit_a.code}"',
            row,
        )

    def test_home_and_scorecard_figures_link_to_their_lists(self) -> None:
        home = self.get_as(self.office, reverse("home")).content.decode()
        self.assertIn(f'href="{self.URL}?year=2025&amp;figure=led"', home)
        page = self.get_as(
            self.liaison_a, reverse("members:unit", args=[self.unit_a.code])
        ).content.decode()
        card = page.split('id="scorecard"', 1)[1]
        self.assertIn(
            f'href="{self.URL}?year=2025&amp;meeting=&amp;scope=lead&amp;figure='
            f'closed_late&amp;unit={self.unit_a.code}"',
            card,
        )

    def test_ledger_link_only_when_the_ledger_shows_the_same_tasks(self) -> None:
        response = self.get_as(self.leader, f"{self.URL}?year=2025&figure=light_red")
        self.assertContains(response, 'id="ledger-link"')
        self.assertContains(response, "light=red")
        for query in (
            "figure=on_time",
            f"unit={self.unit_a.code}&scope=lead&figure=led",
        ):
            response = self.get_as(self.leader, f"{self.URL}?year=2025&{query}")
            self.assertNotContains(response, 'id="ledger-link"', msg_prefix=query)

    def test_permissions(self) -> None:
        a, b = self.unit_a.code, self.unit_b.code
        own = f"{self.URL}?year=2025&unit={a}&scope=lead&figure=led"
        for user in (
            self.office,
            self.leader,
            self.deputy,
            self.liaison_a,
            self.head_a,
        ):
            self.assertEqual(self.get_as(user, own).status_code, 200, user)
        for user in (self.liaison_b, self.outsider, self.nobody):
            self.assertEqual(self.get_as(user, own).status_code, 404, user)
        # A unit never opens the whole group's lists or another unit's.
        self.assertEqual(
            self.get_as(self.liaison_a, f"{self.URL}?year=2025&figure=led").status_code,
            404,
        )
        self.assertEqual(
            self.get_as(
                self.liaison_a, f"{self.URL}?year=2025&unit={b}&figure=led"
            ).status_code,
            404,
        )
        self.assertEqual(
            self.get_as(self.leader, f"{self.URL}?figure=nonsense").status_code, 404
        )
        self.assertLoginRedirect(self.get_as(None, own))
        self.assertEqual(self.post_as(self.leader, own).status_code, 405)


class DashboardMeetingFilterTests(PortalTestCase):
    """The source-meeting filter offers the chosen year's meetings only."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.data = factories.build(cls.cast)

    def test_meetings_of_the_year_are_offered(self) -> None:
        pk = self.data.meeting.pk
        response = self.get_as(self.leader, DASHBOARD + "?year=2025")
        self.assertContains(response, f'<option value="{pk}">')
        response = self.get_as(self.leader, DASHBOARD + "?year=2024")
        self.assertNotContains(response, f'<option value="{pk}"')

    def test_meeting_of_another_year_is_dropped_not_refused(self) -> None:
        pk = self.data.meeting.pk
        response = self.get_as(self.leader, DASHBOARD + f"?year=2024&meeting={pk}")
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "来源会议：")
        self.assertIsNone(response.context["form"].cleaned_data["meeting"])
        self.assertContains(response, '<option value="2024" selected>')
        response = self.get_as(self.leader, DASHBOARD + f"?year=2025&meeting={pk}")
        self.assertContains(response, f'<option value="{pk}" selected>')

    def test_unit_cannot_read_a_meeting_title_through_the_filter(self) -> None:
        meeting = self.data.meeting
        url = (
            f"{reverse('dashboard:figure_tasks')}?year=2025&unit={self.unit_a.code}"
            f"&meeting={meeting.pk}"
            "&scope=lead&figure=led"
        )
        response = self.get_as(self.liaison_a, url)
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, meeting.title)
        self.assertContains(self.get_as(self.leader, url), meeting.title)


class DutyTasksTests(PortalTestCase):
    """The catalogue shows the office and the leaders how many of the year's tasks
    rest on each clause, linked to them; units see the catalogue without counts."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        factories.build(cls.cast)
        cls.a1, cls.a2 = DutyClause.objects.filter(unit=cls.cast.unit_a).order_by(
            "number"
        )[:2]

    def setUp(self) -> None:
        patcher = mock.patch("oversight.dashboard.today", return_value=factories.TODAY)
        patcher.start()
        self.addCleanup(patcher.stop)

    def test_counts_by_source_year(self) -> None:
        from oversight.coverage import duty_task_counts

        self.assertEqual(duty_task_counts([self.a1, self.a2], 2025), {self.a1.pk: 1})
        self.assertEqual(duty_task_counts([self.a1, self.a2], 2024), {self.a2.pk: 1})

    def test_catalogue_count_links_to_the_clauses_tasks(self) -> None:
        catalogue = reverse("duties:catalogue") + f"?unit={self.unit_a.code}"
        response = self.get_as(self.leader, catalogue)
        link = (
            f'href="{reverse("dashboard:figure_tasks")}?year=2025&amp;figure=led'
            f'&amp;duty={self.a1.pk}" data-figure="duty_tasks">1</a>'
        )
        self.assertContains(response, link)
        self.assertContains(response, "2025年督办任务")
        liaison = self.get_as(self.liaison_a, catalogue)
        self.assertNotContains(liaison, 'data-figure="duty_tasks"')
        self.assertNotContains(liaison, "2025年督办任务")

    def test_clause_list(self) -> None:
        url = (
            reverse("dashboard:figure_tasks")
            + f"?year=2025&figure=led&duty={self.a1.pk}"
        )
        response = self.get_as(self.office, url)
        self.assertContains(response, 'data-figure="count">1<')
        self.assertContains(response, ">T1</a>")
        self.assertContains(response, f"依据职责 {self.a1.code}")
        self.assertContains(response, f'href="{self.a1.get_absolute_url()}"')
        # The ledger cannot filter by clause: no link that would list everything.
        self.assertNotContains(response, 'id="ledger-link"')
        # Units do not list tasks by clause, even their own unit's.
        own = url + f"&unit={self.unit_a.code}"
        self.assertEqual(self.get_as(self.liaison_a, own).status_code, 404)
        self.assertEqual(self.get_as(self.office, url[:-1] + "x").status_code, 404)
