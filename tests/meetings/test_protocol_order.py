"""Attendance lists follow protocol order: 组长, 副组长, member units in the order
of the founding document, then others — on the meeting page and in the PDF."""

from __future__ import annotations

import io
import re

from django.urls import reverse
from pypdf import PdfReader

from meetings.models import Attendance
from meetings.pdf import minutes_pdf
from meetings.services import AttendanceRow, attendance_record
from members.models import Person
from tests.base import PortalTestCase

from . import factories as f

P, OBS = Attendance.Status.PRESENT, Attendance.Status.OBSERVER


class ProtocolOrderTests(PortalTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.meeting = f.meeting(cls.office, units=[cls.unit_a, cls.unit_b])
        people = {p.name: p for p in Person.objects.all()}
        guest = Person.objects.create(name="周专家", unit=None, job_title="高校教授")
        # recorded deliberately out of order: the 组长 last
        attendance_record(
            meeting=cls.meeting,
            rows=[
                AttendanceRow(person=people["施琳"], status=P),  # 区林业局
                AttendanceRow(person=people["杨柳"], status=P),  # 区财政局
                AttendanceRow(person=people["蒋平"], status=P),  # 区司法局 成员
                AttendanceRow(person=people["沈玉兰"], status=P),  # 区司法局
                AttendanceRow(person=guest, status=P),
                AttendanceRow(person=people["李志强"], status=P),  # 副组长
                AttendanceRow(person=people["王建华"], status=P),  # 组长
                AttendanceRow(person=guest_two(), status=OBS),
                AttendanceRow(person=people["陈静"], status=OBS),  # 区市场监管局
            ],
            by=cls.office,
        )
        cls.expected_present = [
            "王建华",
            "李志强",
            "蒋平",
            "沈玉兰",
            "杨柳",
            "施琳",
            "周专家",
        ]
        cls.expected_observer = ["陈静", "吴记者"]
        cls.minutes = f.draft(cls.meeting, cls.office)

    def order_in(self, text: str, names: list[str]) -> list[str]:
        return sorted(names, key=text.index)

    def test_pdf(self) -> None:
        reader = PdfReader(io.BytesIO(minutes_pdf(self.minutes)))
        text = re.sub(r"\s+", "", "".join(p.extract_text() for p in reader.pages))
        present = text[text.index("出席：") : text.index("列席：")]
        observer = text[text.index("列席：") :]
        self.assertEqual(
            self.order_in(present, self.expected_present), self.expected_present
        )
        self.assertEqual(
            self.order_in(observer, self.expected_observer), self.expected_observer
        )

    def test_minutes_page(self) -> None:
        response = self.get_as(
            self.office, reverse("meetings:minutes", args=[self.minutes.pk])
        )
        text = re.sub(r"\s+", "", response.content.decode())
        present = text[text.index("出席：") :]
        self.assertEqual(
            self.order_in(present, self.expected_present), self.expected_present
        )

    def test_meeting_page(self) -> None:
        response = self.get_as(
            self.office, reverse("meetings:detail", args=[self.meeting.pk])
        )
        text = response.content.decode()
        self.assertEqual(
            self.order_in(text, self.expected_present), self.expected_present
        )


def guest_two() -> Person:
    return Person.objects.create(name="吴记者", unit=None, job_title="区融媒体中心记者")
