"""The office home's minutes lists: a returned draft says 已退回 with who and why;
an issued version replaced by a correction is marked, not listed as if in force."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.models import Minutes
from meetings.pdf import minutes_filename
from tests.base import PortalTestCase

from . import factories as f


class HomeMinutesTests(PortalTestCase):
    def test_returned_draft_shows_who_and_why(self):
        meeting = f.meeting(
            self.office, units=[self.unit_a], title="知识产权质押融资专题会议"
        )
        minutes = f.advance(
            f.draft(meeting, self.office),
            office=self.office,
            leader=self.leader,
            to="submitted",
        )
        services.minutes_return(
            minutes=minutes, by=self.leader, reason="第二项时限不明确"
        )
        minutes.refresh_from_db()
        self.assertEqual(minutes.returned_by, self.leader)
        page = self.get_as(self.office, reverse("home")).content.decode()
        self.assertIn("已退回", page)
        self.assertIn("第二项时限不明确", page)
        self.assertIn(
            f"{self.leader} 于 {timezone.localtime(minutes.returned_at):%Y-%m-%d} 退回",
            page,
        )
        # Approval clears it: the next draft is not shown as returned.
        services.minutes_submit(minutes=minutes, by=self.office)
        services.minutes_approve(
            minutes=Minutes.objects.get(pk=minutes.pk), by=self.leader
        )
        minutes.refresh_from_db()
        self.assertIsNone(minutes.returned_by)
        self.assertEqual(minutes.return_reason, "")

    def test_replaced_version_is_marked_in_recent_minutes(self):
        meeting = f.meeting(
            self.office, units=[self.unit_a], title="商标品牌建设专题会议"
        )
        v1 = f.advance(
            f.draft(meeting, self.office),
            office=self.office,
            leader=self.leader,
            to="issued",
        )
        v2 = services.minutes_correct(minutes=v1, by=self.office, reason="更正第二项")
        f.advance(v2, office=self.office, leader=self.leader, to="issued")
        page = self.get_as(self.office, reverse("home")).content.decode()
        self.assertEqual(page.count("商标品牌建设专题会议纪要"), 2)
        self.assertEqual(page.count("已被更正"), 1)
        self.assertIn("第2版", page)

    def test_pdf_file_name_an_archivist_would_use(self):
        meeting = f.meeting(
            self.office, units=[self.unit_a], title="地理标志保护专题会议"
        )
        minutes = f.draft(meeting, self.office)
        self.assertEqual(
            minutes_filename(minutes), "地理标志保护专题会议纪要（第1版草稿）.pdf"
        )
        minutes = f.advance(
            minutes, office=self.office, leader=self.leader, to="issued"
        )
        self.assertEqual(
            minutes_filename(minutes),
            f"{minutes.issue_label} 地理标志保护专题会议纪要.pdf",
        )
