"""Reporting periods and their lights: deadlines fall on working days (the
office's calendar counts), and a unit's report for a period is green, yellow
within the tasks' warning window, red when late, grey once filed, red again when
returned."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.cache import cache

from campaigns.models import Campaign, ReportingPeriod, UnitReport
from campaigns.reporting import state, warn_until
from campaigns.services import due_dates, period_bounds
from tasks.models import WorkdayOverride
from tests.base import PortalTestCase


class PeriodTests(PortalTestCase):
    def test_weekly_monthly_end_and_dates(self):
        start, end = date(2026, 4, 15), date(2026, 5, 20)  # a Wednesday
        weekly = period_bounds(start, end, Campaign.Schedule.WEEKLY)
        self.assertEqual(weekly[0], (date(2026, 4, 15), date(2026, 4, 19)))
        self.assertEqual(weekly[1], (date(2026, 4, 20), date(2026, 4, 26)))
        self.assertEqual(weekly[-1], (date(2026, 5, 18), date(2026, 5, 20)))
        monthly = period_bounds(start, end, Campaign.Schedule.MONTHLY)
        self.assertEqual(
            monthly, [(date(2026, 4, 15), date(2026, 4, 30)), (date(2026, 5, 1), end)]
        )
        self.assertEqual(
            period_bounds(start, end, Campaign.Schedule.END), [(start, end)]
        )
        chosen = period_bounds(
            start, end, Campaign.Schedule.DATES, [date(2026, 4, 22), date(2026, 6, 1)]
        )
        self.assertEqual(chosen, [(start, date(2026, 4, 22)), (date(2026, 4, 23), end)])

    def test_deadlines_skip_holidays_and_follow_the_office_calendar(self):
        # 2026-04-30 (Thu) + 2 working days: 5月1–5日 is the Labour Day holiday
        self.assertEqual(due_dates([date(2026, 4, 30)]), [date(2026, 5, 7)])
        WorkdayOverride.objects.create(
            day=date(2026, 5, 6), is_workday=False, note="调休"
        )
        self.assertEqual(due_dates([date(2026, 4, 30)]), [date(2026, 5, 8)])


class LightTests(PortalTestCase):
    def test_states(self):
        today = date(2026, 6, 10)  # Wednesday
        until = warn_until(today)
        period = ReportingPeriod(
            number=1,
            start_on=date(2026, 6, 1),
            end_on=date(2026, 6, 7),
            due_on=date(2026, 6, 9),
        )
        self.assertEqual(state(period, None, today, until), "red")
        period.due_on = today + timedelta(days=1)
        self.assertEqual(state(period, None, today, until), "yellow")
        period.due_on = today + timedelta(days=30)
        self.assertEqual(state(period, None, today, until), "green")
        period.start_on = today + timedelta(days=1)
        self.assertEqual(state(period, None, today, until), "future")
        report = UnitReport(status=UnitReport.Status.SUBMITTED)
        self.assertEqual(state(period, report, today, until), "done")
        report.status = UnitReport.Status.RETURNED
        self.assertEqual(state(period, report, today, until), "returned")

    def test_warning_window_counts_working_days(self):
        cache.clear()
        # Friday + 5 working days is the next Friday, not Wednesday
        self.assertEqual(warn_until(date(2026, 6, 5)), date(2026, 6, 12))


class DigestGroupTests(PortalTestCase):
    def test_who_hears_what(self):
        from django.utils import timezone

        from campaigns.inbox import reminder_groups

        from .factories import file, make_campaign, returned

        campaign = make_campaign(
            by=self.office, organiser=self.unit_a, units=[self.unit_a, self.unit_b]
        )
        for n in (1, 2, 3):
            file(campaign, n, self.liaison_a)
        b1 = file(campaign, 1, self.liaison_b)
        returned(b1, self.office)
        groups = dict(reminder_groups(timezone.localdate()))
        b = groups[self.liaison_b]
        self.assertEqual([o.period.number for o in b["returned"]], [1])
        self.assertEqual([o.period.number for o in b["late"]], [2, 3])
        a = groups[self.liaison_a]
        self.assertEqual(a["late"], [])
        self.assertEqual(
            [(o.unit_name, o.period.number) for o in a["others_late"]],
            [("区财政局", 2), ("区财政局", 3)],
        )
        self.assertIn(self.head_a, groups)
        self.assertNotIn(self.outsider, groups)


class DailyDigestTests(PortalTestCase):
    def test_campaign_part_of_the_digest(self):
        from django.core import mail
        from django.utils import timezone

        from notices.digest import digests_send

        from .factories import file, make_campaign, returned

        campaign = make_campaign(
            by=self.office, organiser=self.unit_a, units=[self.unit_a, self.unit_b]
        )
        for n in (1, 2, 3):
            file(campaign, n, self.liaison_a)
        returned(file(campaign, 1, self.liaison_b), self.office)
        mail.outbox.clear()
        with self.captureOnCommitCallbacks(execute=True):
            sent = dict(digests_send(day=timezone.localdate()))
        parts = {p.summary for p in sent[self.liaison_b]}
        self.assertIn("专项行动报表被退回 1 项、专项行动逾期未报 2 项", parts)
        self.assertIn(
            "牵头活动中逾期未报 2 项", {p.summary for p in sent[self.liaison_a]}
        )
        self.assertNotIn(self.outsider, sent)
        body = next(m.body for m in mail.outbox if m.to == [self.liaison_b.email])
        self.assertIn("【报表被退回】", body)
        self.assertIn(campaign.name, body)
        # once a day
        self.assertEqual(digests_send(day=timezone.localdate()), [])
