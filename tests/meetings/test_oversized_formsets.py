"""Oversized management data is refused before thousands of forms are built."""

from __future__ import annotations

import time

from django.urls import reverse

from meetings.models import Attendance, Decision
from tests.base import PortalTestCase
from tests.meetings.factories import meeting


class OversizedFormsetTests(PortalTestCase):
    def test_attendance_total_forms_100000(self) -> None:
        m = meeting(self.office)
        self.login(self.office)
        started = time.perf_counter()
        response = self.client.post(
            reverse("meetings:attendance", args=[m.pk]),
            {
                "att-TOTAL_FORMS": "100000",
                "att-INITIAL_FORMS": "0",
                "att-MIN_NUM_FORMS": "0",
                "att-MAX_NUM_FORMS": "1000",
            },
        )
        elapsed = time.perf_counter() - started
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "出席名单一次最多提交")
        self.assertEqual(Attendance.objects.filter(meeting=m).count(), 0)
        # a few dozen rows at most are built (was 2,000 rows, 3.4 s)
        self.assertLess(len(response.context["formset"].forms), 200)
        self.assertLess(elapsed, 2.0)

    def test_decisions_total_forms_100000(self) -> None:
        m = meeting(self.office)
        self.login(self.office)
        response = self.client.post(
            reverse("meetings:minutes_create", args=[m.pk]),
            {
                "title": "纪要",
                "narrative": "正文。",
                "dec-TOTAL_FORMS": "100000",
                "dec-INITIAL_FORMS": "0",
                "dec-MIN_NUM_FORMS": "0",
                "dec-MAX_NUM_FORMS": "1000",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "一份纪要最多 99 项议定事项")
        self.assertLessEqual(len(response.context["formset"].forms), 99)
        self.assertFalse(Decision.objects.filter(minutes__meeting=m).exists())
