"""Every date has a sane range (not before the group's founding, not more than ten
years ahead), in forms and in services; the calendar feed and the extension page
survive a date at the calendar's end that is already stored."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from jinwei_ip.lib.dates import FOUNDED, add_days, date_refusal, latest_date
from meetings import services as meeting_services
from meetings.models import Meeting
from meetings.services import MeetingData
from tasks.models import Task
from tests.base import PortalTestCase
from tests.meetings.factories import meeting as make_meeting
from tests.tasks.factories import make_task

SHANGHAI = ZoneInfo("Asia/Shanghai")


def meeting_post(starts: str, **extra) -> dict:
    return {
        "kind": Meeting.Kind.SPECIAL,
        "title": "知识产权保护专题会议",
        "starts_at": starts,
        "place": "区政府第三会议室",
        "convener": Meeting.Convener.LEADER,
        **extra,
    }


class DateRangeLibTests(PortalTestCase):
    def test_range(self) -> None:
        today = date(2026, 12, 3)
        self.assertIsNone(date_refusal(FOUNDED, today=today))
        self.assertIsNone(date_refusal(date(2036, 12, 3), today=today))
        self.assertIn("2022-09-22", date_refusal(date(1900, 1, 1), today=today))
        self.assertIn("2036-12-03", date_refusal(date(9999, 12, 31), today=today))
        self.assertEqual(latest_date(date(2028, 2, 29)), date(2038, 2, 28))
        self.assertEqual(add_days(date.max, 1), date.max)


class MeetingDateTests(PortalTestCase):
    def test_form_refuses_9999_and_1900(self) -> None:
        before = Meeting.objects.count()
        for starts, words in [
            ("9999-12-31T09:00", "不能晚于"),
            ("1900-01-01T09:00", "不能早于 2022-09-22"),
        ]:
            response = self.post_as(
                self.office, reverse("meetings:create"), meeting_post(starts)
            )
            self.assertEqual(response.status_code, 200, starts)
            self.assertContains(response, words)
            self.assertContains(response, "开始时间")
        far_end = self.post_as(
            self.office,
            reverse("meetings:create"),
            meeting_post("2027-01-01T09:00", ends_at="9999-12-31T09:00"),
        )
        self.assertContains(far_end, "结束时间不能晚于")
        self.assertEqual(Meeting.objects.count(), before)

    def test_service_refuses_out_of_range(self) -> None:
        for starts in (
            datetime(9999, 12, 31, 9, tzinfo=SHANGHAI),
            datetime(1900, 1, 1, 9, tzinfo=SHANGHAI),
        ):
            with self.assertRaises(ValidationError) as caught:
                meeting_services.meeting_create(
                    data=MeetingData(
                        kind=Meeting.Kind.SPECIAL,
                        title="会",
                        starts_at=starts,
                        place="会议室",
                    ),
                    by=self.office,
                )
            self.assertIn("starts_at", caught.exception.message_dict)

    def test_feed_survives_a_meeting_at_the_calendar_end(self) -> None:
        m = make_meeting(self.office, held=False, days=3)
        Meeting.objects.filter(pk=m.pk).update(
            starts_at=datetime(9999, 12, 31, 15, 0, tzinfo=ZoneInfo("UTC"))
        )
        self.login(self.office)
        response = self.client.get(reverse("meetings:calendar"))
        self.assertEqual(response.status_code, 200)
        self.assertIn(b"DTSTART", response.content)


class TaskDateTests(PortalTestCase):
    def test_service_refuses_far_due(self) -> None:
        with self.assertRaises(ValidationError):
            make_task(by=self.office, lead=self.unit_a, due=date(9999, 12, 31))

    def test_extension_page_of_a_task_due_at_the_calendar_end(self) -> None:
        task = make_task(by=self.office, lead=self.unit_a)
        Task.objects.filter(pk=task.pk).update(due_on=date(9999, 12, 31))
        response = self.get_as(
            self.liaison_a, reverse("tasks:extension", args=[task.pk])
        )
        self.assertEqual(response.status_code, 200)
        response = self.post_as(
            self.liaison_a,
            reverse("tasks:extension", args=[task.pk]),
            {"new_due_on": "9999-12-31", "reason": "需要更多时间"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(task.extensions.count(), 0)

    def test_extension_beyond_range_is_refused(self) -> None:
        task = make_task(
            by=self.office,
            lead=self.unit_a,
            due=latest_date() - timedelta(days=10),
        )
        response = self.post_as(
            self.liaison_a,
            reverse("tasks:extension", args=[task.pk]),
            {
                "new_due_on": (latest_date() + timedelta(days=10)).isoformat(),
                "reason": "需要更多时间",
            },
        )
        self.assertContains(response, "不能晚于")
        self.assertEqual(task.extensions.count(), 0)

    def test_reassign_far_due_refused(self) -> None:
        task = make_task(by=self.office, lead=self.unit_a)
        response = self.post_as(
            self.office,
            reverse("tasks:reassign", args=[task.pk]),
            {"lead": self.unit_a.pk, "due": "9999-12-31", "version": task.edit_version},
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "不能晚于")
        task.refresh_from_db()
        self.assertLess(task.due_on, date(2100, 1, 1))
        self.assertEqual(timezone.localdate() < task.due_on, True)


class OtherServiceDateTests(PortalTestCase):
    def test_position_and_plan_services_refuse(self) -> None:
        from members.models import LeadingGroup, Person, Position
        from members.services import position_assign
        from tasks.plans import work_plan_create

        position = Position.objects.get(kind=Position.Kind.MEMBER, unit=self.unit_a)
        person = Person.objects.create(name="新人", unit=self.unit_a)
        for day in (date(9999, 12, 31), date(1900, 1, 1)):
            with self.assertRaises(ValidationError):
                position_assign(position=position, person=person, start_on=day)
        for year in (1900, 9999):
            with self.assertRaises(ValidationError):
                work_plan_create(
                    group=LeadingGroup.objects.get(),
                    year=year,
                    title="计划",
                    by=self.office,
                )
