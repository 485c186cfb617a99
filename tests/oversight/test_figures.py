"""Dashboard figures against hand-computed values (see factories.py for the data)."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

from django.urls import reverse

from oversight import coverage, dashboard
from oversight.figures import Figures, light_lists, upcoming_deadlines
from tasks.models import Task
from tests.base import PortalTestCase
from tests.oversight import factories
from tests.oversight.factories import TODAY


class FigureTests(PortalTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.data = factories.build(cls.cast)

    def figures(self, **selection) -> dict:
        result = dashboard.dashboard(dashboard.Selection(**selection), TODAY)
        return result

    def row(self, result: dict, unit) -> Figures:
        return next(r for r in result["rows"] if r.unit == unit)

    def test_unit_a_on_time_late_and_average(self) -> None:
        a = self.row(self.figures(year=2025), self.unit_a)
        self.assertEqual(
            (a.led, a.closed, a.on_time, a.closed_late, a.open_overdue),
            (4, 3, 2, 1, 1),
        )
        self.assertEqual(a.overdue, 2)
        self.assertEqual(a.completion_rate, 75.0)
        # T4 closed five days late (local date, not UTC), T3 open 14 days late.
        self.assertEqual(a.average_days_late, 9.5)
        self.assertEqual(a.co_handled, 1)
        self.assertEqual(a.lights, {"red": 1, "yellow": 0, "green": 0, "grey": 3})

    def test_extension_approved_after_deadline_counts_as_on_time(self) -> None:
        t2 = self.data.tasks["T2"]
        self.assertLess(t2.original_due_on, t2.due_on)
        result = self.figures(year=2025)
        self.assertNotIn(t2, result["red"])
        self.assertEqual(self.row(result, self.unit_a).on_time, 2)

    def test_unit_b_co_unit_and_lights(self) -> None:
        b = self.row(self.figures(year=2025), self.unit_b)
        self.assertEqual((b.led, b.closed, b.overdue), (3, 0, 0))
        self.assertEqual(b.completion_rate, 0.0)
        self.assertIsNone(b.average_days_late)
        self.assertEqual(b.co_handled, 1)  # T3, which A leads
        self.assertEqual(b.lights, {"red": 0, "yellow": 2, "green": 1, "grey": 0})

    def test_unit_without_tasks_has_no_rate(self) -> None:
        result = self.figures(year=2025)
        court = next(r for r in result["rows"] if r.unit.code == "fy")
        self.assertEqual(court.led, 0)
        self.assertIsNone(court.completion_rate)
        self.assertEqual(len(result["rows"]), 12)

    def test_totals_and_lights(self) -> None:
        totals = self.figures(year=2025)["totals"]
        self.assertEqual(
            (totals.led, totals.closed, totals.on_time, totals.overdue), (8, 3, 2, 3)
        )
        self.assertEqual(totals.completion_rate, 37.5)
        self.assertEqual(totals.average_days_late, 6.7)
        self.assertEqual(totals.lights, {"red": 2, "yellow": 2, "green": 1, "grey": 3})

    def test_holiday_widens_the_warning_window(self) -> None:
        result = self.figures(year=2025)
        yellow = [t.code for t in result["yellow"]]
        # T5 is due 10-10: yellow only because the National Day holiday is skipped.
        self.assertEqual(yellow, ["T5", "T7"])
        self.assertEqual([t.code for t in result["red"]], ["T3", "T8"])
        self.assertEqual(result["red"][0].days_late, timedelta(days=14))

    def test_lists_are_limited_per_light(self) -> None:
        qs = dashboard.selected_tasks(dashboard.Selection(year=2025))
        lists = light_lists(qs, ["red", "yellow"], TODAY, limit=1)
        self.assertEqual(
            {light: [t.code for t in tasks] for light, tasks in lists.items()},
            {"red": ["T3"], "yellow": ["T5"]},
        )

    def test_returned_closure_stays_open_and_red(self) -> None:
        result = self.figures(year=2025)
        t3 = result["red"][0]
        self.assertEqual(t3.code, "T3")
        self.assertEqual(t3.latest_report_text, "已补充佐证材料，正在重新整理。")

    def test_every_year(self) -> None:
        a = self.row(self.figures(year=None), self.unit_a)
        self.assertEqual((a.led, a.closed, a.closed_late), (5, 4, 2))
        self.assertEqual(a.average_days_late, 8.0)  # (5 + 14 + 5) / 3

    def test_unit_filter_covers_lead_and_co_tasks(self) -> None:
        result = self.figures(year=2025, unit=self.unit_a)
        self.assertEqual([r.unit for r in result["rows"]], [self.unit_a])
        totals = result["totals"]
        self.assertEqual((totals.led, totals.closed, totals.overdue), (5, 3, 2))
        self.assertEqual(totals.completion_rate, 60.0)
        self.assertEqual(totals.lights, {"red": 1, "yellow": 1, "green": 0, "grey": 3})
        self.assertEqual([t.code for t in result["yellow"]], ["T5"])

    def test_meeting_filter(self) -> None:
        result = self.figures(year=2025, meeting=self.data.meeting)
        self.assertEqual(result["totals"].led, 1)
        self.assertEqual(self.row(result, self.unit_b).led, 1)
        self.assertEqual(result["totals"].lights["green"], 1)

    def test_upcoming_deadlines(self) -> None:
        result = self.figures(year=2025)
        # Within 14 days of 09-29: T5 (10-10); T6 is due 10-20.
        self.assertEqual([t.code for t in result["upcoming"]], ["T5"])
        self.assertEqual(result["upcoming_count"], 1)

    def test_upcoming_count_is_not_capped_by_the_list(self) -> None:
        # Within 60 days: T5 (10-10) and T6 (10-20); the list shows one.
        tasks, total = upcoming_deadlines(Task.objects.all(), TODAY, days=60, limit=1)
        self.assertEqual([t.code for t in tasks], ["T5"])
        self.assertEqual(total, 2)
        self.assertEqual(upcoming_deadlines(Task.objects.none(), TODAY), ([], 0))

    def test_upcoming_list_links_to_the_whole_ledger_selection(self) -> None:
        url = dashboard.upcoming_ledger_url(
            dashboard.Selection(year=2025, unit=self.unit_a), TODAY
        )
        self.assertEqual(
            url,
            "/tasks/?status=open&due_from=2025-09-29&due_to=2025-10-13"
            f"&year=2025&unit={self.unit_a.code}",
        )

    def test_plenary_rule(self) -> None:
        self.assertTrue(dashboard.plenary_status(2025).ok)
        self.assertTrue(dashboard.plenary_status(2025).held)
        self.assertFalse(dashboard.plenary_status(2024).ok)

    def test_duty_coverage(self) -> None:
        result = coverage.duty_coverage(2025, self.unit_a)
        a_row = result.per_unit[0]
        self.assertEqual((a_row["total"], a_row["uncovered"]), (3, 1))
        # Clause 1 has a 2025 task, clause 2 a 2025 report on a 2024 task.
        self.assertEqual([c.number for c in result.uncovered], [3])
        everyone = coverage.duty_coverage(2025)
        self.assertEqual(everyone.uncovered_count, everyone.total - 2)


class ScorecardMatchesDashboardTests(PortalTestCase):
    """The unit page's scorecard shows the numbers of the dashboard filtered to the
    unit and the year, through the views."""

    FIGURES = [
        "led",
        "closed",
        "on_time",
        "closed_late",
        "open_overdue",
        "completion_rate",
        "average_days_late",
        "co_handled",
    ]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.data = factories.build(cls.cast)

    def test_same_numbers(self) -> None:
        import re

        with mock.patch("oversight.dashboard.today", return_value=TODAY):
            board = self.get_as(
                self.leader, reverse("dashboard:index") + "?year=2025&unit=sfj"
            ).content.decode()
            page = self.get_as(
                self.leader, reverse("members:unit", args=["sfj"])
            ).content.decode()
        row = board.split('data-unit="sfj"', 1)[1].split("</tr>", 1)[0]
        card = page.split('id="scorecard"', 1)[1]

        def value(html: str, name: str) -> str:
            match = re.search(rf'data-figure="{name}">([^<]*)<', html)
            assert match, name
            return match.group(1).strip()

        expected = {
            "led": "4",
            "closed": "3",
            "on_time": "2",
            "closed_late": "1",
            "open_overdue": "1",
            "completion_rate": "75%",
            "average_days_late": "9.5",
            "co_handled": "1",
        }
        for name in self.FIGURES:
            self.assertEqual(value(row, name), expected[name], name)
            self.assertEqual(value(card, name), expected[name], name)
        for light in ("light_red", "light_yellow", "light_green", "light_grey"):
            totals = board.split('id="totals"', 1)[1]
            self.assertEqual(value(totals, light), value(card, light), light)

    def test_scorecard_function_uses_dashboard_functions(self) -> None:
        card = dashboard.scorecard(self.unit_b, TODAY)
        board = dashboard.dashboard(
            dashboard.Selection(year=2025, unit=self.unit_b), TODAY
        )
        self.assertEqual(card["row"].as_dict(), board["rows"][0].as_dict())
        self.assertEqual(card["totals"].as_dict(), board["totals"].as_dict())
        self.assertEqual(card["coverage"].per_unit, board["coverage"].per_unit)
