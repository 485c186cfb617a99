"""Lights and working days: chinese-calendar holidays and the office's overrides."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.test import override_settings
from django.utils import timezone

from tasks.models import Task, WorkdayOverride
from tasks.workdays import add_workdays, is_workday, workdays_between
from tests.base import PortalTestCase

from .factories import make_task


def aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


class WorkdayTests(PortalTestCase):
    def test_national_day_holiday_2026(self):
        for day in range(1, 8):
            self.assertFalse(is_workday(date(2026, 10, day)), day)
        # 2026-09-30 (Wed) is a workday; the make-up Saturday 2026-10-10 too.
        self.assertTrue(is_workday(date(2026, 9, 30)))
        self.assertTrue(is_workday(date(2026, 10, 10)))
        # Five working days after 2026-09-29: 9-30, 10-08, 10-09, 10-10, 10-12.
        self.assertEqual(add_workdays(date(2026, 9, 29), 5), date(2026, 10, 12))
        self.assertEqual(workdays_between(date(2026, 9, 29), date(2026, 10, 9)), 3)

    def test_override_for_an_unknown_year(self):
        # 2027 is beyond the package: weekdays by default, overrides win.
        self.assertTrue(is_workday(date(2027, 10, 1)))
        WorkdayOverride.objects.bulk_create(
            [
                WorkdayOverride(day=date(2027, 10, d), is_workday=False, note="国庆")
                for d in range(1, 8)
            ]
            + [WorkdayOverride(day=date(2027, 9, 26), is_workday=True, note="调休")]
        )
        self.assertFalse(is_workday(date(2027, 10, 1)))
        self.assertTrue(is_workday(date(2027, 9, 26)))  # a Sunday made a workday
        # After Thu 2027-09-23: Fri 24, Sun 26 (make-up), Mon 27, Tue 28, Wed 29.
        self.assertEqual(add_workdays(date(2027, 9, 23), 5), date(2027, 9, 29))
        self.assertEqual(add_workdays(date(2027, 9, 29), 2), date(2027, 10, 8))


@override_settings(TASK_WARNING_WORKDAYS=5)
class LightTests(PortalTestCase):
    def setUp(self):
        self.task = make_task(by=self.office, lead=self.unit_a)

    def light(self, today: date, **fields) -> str:
        Task.objects.filter(pk=self.task.pk).update(**fields)
        self.task.refresh_from_db()
        by_python = self.task.light_on(today)
        by_db = Task.objects.with_light(today).get(pk=self.task.pk).light_value
        self.assertEqual(by_python, by_db)
        return by_python

    def test_green_yellow_red_grey(self):
        today = date(2026, 6, 1)  # Monday
        recent = aware(today - timedelta(days=2))
        self.assertEqual(
            self.light(today, due_on=date(2026, 7, 1), last_activity_at=recent), "green"
        )
        self.assertEqual(self.light(today, due_on=date(2026, 6, 8)), "yellow")
        self.assertEqual(self.light(today, due_on=date(2026, 6, 9)), "green")
        self.assertEqual(self.light(today, due_on=date(2026, 5, 29)), "red")
        self.assertEqual(self.light(today, due_on=today), "yellow")
        self.assertEqual(
            self.light(today, due_on=date(2026, 5, 1), status=Task.Status.CLOSED),
            "grey",
        )

    def test_by_urgency_red_yellow_green_grey_then_deadline(self):
        today = date(2026, 6, 1)  # Monday
        recent = aware(today - timedelta(days=2))
        stale = aware(today - timedelta(days=40))
        specs = [  # (due, status, last activity) in the expected order
            (date(2026, 5, 20), Task.Status.SIGNED, recent),  # red
            (date(2026, 5, 29), Task.Status.ASSIGNED, recent),  # red
            (date(2026, 6, 3), Task.Status.SIGNED, recent),  # yellow: deadline near
            (date(2026, 8, 1), Task.Status.IN_PROGRESS, stale),  # yellow: no activity
            (date(2026, 7, 1), Task.Status.SIGNED, recent),  # green
            (date(2026, 9, 1), Task.Status.SIGNED, recent),  # green
            (date(2026, 4, 1), Task.Status.CLOSED, recent),  # grey, however late
        ]
        tasks = [self.task] + [
            make_task(by=self.office, lead=self.unit_a) for _ in specs[1:]
        ]
        for task, (due, status, active) in zip(tasks, specs, strict=True):
            Task.objects.filter(pk=task.pk).update(
                due_on=due, status=status, last_activity_at=active
            )
        ordered = Task.objects.with_light(today).by_urgency()
        self.assertEqual(
            list(ordered.values_list("pk", "light_value", "light_rank")),
            [
                (t.pk, light, rank)
                for t, (light, rank) in zip(
                    tasks,
                    [
                        ("red", 0),
                        ("red", 0),
                        ("yellow", 1),
                        ("yellow", 1),
                        ("green", 2),
                        ("green", 2),
                        ("grey", 3),
                    ],
                    strict=True,
                )
            ],
        )

    def test_no_activity_for_30_days_is_yellow(self):
        today = date(2026, 6, 1)
        self.assertEqual(
            self.light(
                today,
                due_on=date(2026, 9, 1),
                last_activity_at=aware(today - timedelta(days=31)),
                status=Task.Status.IN_PROGRESS,
            ),
            "yellow",
        )
        self.assertEqual(self.light(today, progress=100), "green")

    def test_holiday_inside_warning_window(self):
        # On 2026-09-29 five working days reach 2026-10-12 because of the
        # National Day holiday: a task due 10-12 is already yellow, though 13
        # calendar days away; one due 10-13 is still green.
        today = date(2026, 9, 29)
        recent = aware(today)
        self.assertEqual(
            self.light(today, due_on=date(2026, 10, 12), last_activity_at=recent),
            "yellow",
        )
        self.assertEqual(self.light(today, due_on=date(2026, 10, 13)), "green")

    def test_override_in_2027_moves_the_window(self):
        today = date(2027, 9, 29)
        recent = aware(today)
        due = date(2027, 10, 8)
        self.assertEqual(
            self.light(today, due_on=due, last_activity_at=recent), "green"
        )
        WorkdayOverride.objects.bulk_create(
            [
                WorkdayOverride(day=date(2027, 10, d), is_workday=False)
                for d in range(1, 8)
            ]
        )
        self.assertEqual(self.light(today, due_on=due), "yellow")
