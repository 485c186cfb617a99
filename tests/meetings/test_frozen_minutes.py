"""Issued minutes are frozen: the 出席/请假/列席 lists, the distribution line and
the mark they show come from the snapshot taken at issue, not from the live
meeting; drafts (a correction's new version too) show the live meeting."""

from __future__ import annotations

import importlib
from types import SimpleNamespace

from django.apps import apps
from django.db import connection
from django.urls import reverse

from meetings import services
from meetings.models import Attendance, Minutes
from meetings.pdf import document_facts, minutes_context
from meetings.services import AttendanceRow, MeetingData
from members.models import Person
from tests.base import PortalTestCase

from . import factories as f


class FrozenMinutesTests(PortalTestCase):
    def setUp(self) -> None:
        self.meeting = f.meeting(self.office, units=[self.unit_a, self.unit_b])
        self.people = {p.name: p for p in Person.objects.all()}
        self._attend(absent="杨柳")
        self.minutes = f.advance(
            f.draft(self.meeting, self.office),
            office=self.office,
            leader=self.leader,
            to=Minutes.Status.ISSUED,
        )

    def _attend(self, *, absent: str | None) -> None:
        services.attendance_record(
            meeting=self.meeting,
            rows=[
                AttendanceRow(
                    person=self.people[name],
                    status=Attendance.Status.ABSENT
                    if name == absent
                    else Attendance.Status.PRESENT,
                )
                for name in ("王建华", "蒋平", "杨柳")
            ],
            by=self.office,
        )

    def _change_meeting(self) -> None:
        """请假 → 出席, and one unit more."""
        self._attend(absent=None)
        m = self.meeting
        services.meeting_update(
            meeting=m,
            data=MeetingData(
                kind=m.kind,
                title=m.title,
                starts_at=m.starts_at,
                place=m.place,
                units=[self.unit_a, self.unit_b, self.unit_out],
            ),
            by=self.office,
        )

    def test_issue_stores_the_snapshot(self):
        self.minutes.refresh_from_db()
        lists = {r["status"]: r["names"] for r in self.minutes.snapshot["name_lists"]}
        self.assertIn("杨柳", lists["absent"])
        self.assertNotIn("杨柳", lists["present"])
        self.assertIn("区财政局", self.minutes.snapshot["distribution"])

    def test_pdf_unchanged_after_attendance_and_units_change(self):
        before = minutes_context(self.minutes)
        self._change_meeting()
        self.minutes.refresh_from_db()
        after = minutes_context(self.minutes)
        self.assertEqual(after["name_lists"], before["name_lists"])
        self.assertEqual(after["distribution"], before["distribution"])
        self.assertIn(("请假", "区财政局 杨柳"), after["name_lists"])
        self.assertNotIn("区林业局", after["distribution"])

    def test_page_unchanged_after_attendance_and_units_change(self):
        self._change_meeting()
        r = self.get_as(self.office, self.minutes.get_absolute_url())
        self.assertContains(r, "<dt>请假：</dt><dd>区财政局 杨柳</dd>", html=True)
        self.assertNotContains(r, "区林业局")

    def test_correction_draft_shows_the_live_meeting(self):
        self._change_meeting()
        new = services.minutes_correct(
            minutes=self.minutes, by=self.office, reason="补充议定事项"
        )
        context = minutes_context(new)
        self.assertNotIn("请假", [label for label, _names in context["name_lists"]])
        self.assertIn("区林业局", context["distribution"])
        r = self.get_as(self.office, new.get_absolute_url())
        self.assertNotContains(r, "<dt>请假：</dt>", html=True)
        self.assertContains(r, "区林业局")
        # The issued version stays as issued.
        r = self.get_as(self.office, self.minutes.get_absolute_url())
        self.assertContains(r, "<dt>请假：</dt><dd>区财政局 杨柳</dd>", html=True)

    def test_pdf_download_uses_the_snapshot(self):
        self._change_meeting()
        context = minutes_context(Minutes.objects.get(pk=self.minutes.pk))
        self.assertIn(("请假", "区财政局 杨柳"), context["name_lists"])
        r = self.get_as(
            self.office, reverse("meetings:minutes_pdf", args=[self.minutes.pk])
        )
        self.assertEqual(r.status_code, 200)

    def test_data_migration_fills_issued_minutes_from_current_data(self):
        Minutes.objects.filter(pk=self.minutes.pk).update(snapshot={})
        draft_meeting = f.meeting(self.office, units=[self.unit_a])
        draft = f.draft(draft_meeting, self.office)
        migration = importlib.import_module("meetings.migrations.0004_minutes_snapshot")
        # the migration writes to the database being migrated: the default one
        migration.fill_snapshots(apps, SimpleNamespace(connection=connection))
        self.minutes.refresh_from_db()
        draft.refresh_from_db()
        # What the document showed then: the facts as today, but the names in
        # the migration's own order (the units in order, people of no unit
        # after them; the protocol order with the 组长 first came later).
        # reader_unit_ids came later too (minutes issued before it are read by
        # the meeting's units, as they were then).
        facts = document_facts(self.minutes)
        self.assertEqual(
            {k: v for k, v in self.minutes.snapshot.items() if k != "name_lists"},
            {k: v for k, v in facts.items() if k != "name_lists"},
        )
        self.assertEqual(
            self.minutes.snapshot["name_lists"],
            [
                {"status": "present", "names": "区司法局 蒋平、王建华"},
                {"status": "absent", "names": "区财政局 杨柳"},
            ],
        )
        self.assertEqual(draft.snapshot, {})

    def test_who_the_minutes_went_to_is_worked_out_at_issue_only(self):
        # The issued snapshot keeps the units it went to; a draft's page and PDF,
        # which show the live meeting, do not work them out on every view.
        self.assertEqual(
            self.minutes.snapshot["reader_unit_ids"],
            sorted([self.unit_a.pk, self.unit_b.pk]),
        )
        draft = f.draft(f.meeting(self.office, units=[self.unit_a]), self.office)
        self.assertNotIn("reader_unit_ids", document_facts(draft))


class DraftStampTests(PortalTestCase):
    def test_draft_stamp_says_draft_once(self):
        minutes = f.draft(f.meeting(self.office, units=[self.unit_a]), self.office)
        self.assertEqual(minutes_context(minutes)["draft_label"], "草稿 · 未印发")

    def test_submitted_stamp_names_the_status(self):
        minutes = f.advance(
            f.draft(f.meeting(self.office, units=[self.unit_a]), self.office),
            office=self.office,
            leader=self.leader,
            to=Minutes.Status.SUBMITTED,
        )
        self.assertEqual(minutes_context(minutes)["draft_label"], "待审批 · 未印发")


class PersonLabelTests(PortalTestCase):
    def test_group_office_printed_without_its_host_unit(self):
        m = f.meeting(self.office, units=[self.unit_a])
        chen = Person.objects.get(name="陈静")
        services.attendance_record(
            meeting=m,
            rows=[
                AttendanceRow(
                    person=chen,
                    status=Attendance.Status.OBSERVER,
                    title_at_meeting="领导小组办公室工作人员",
                )
            ],
            by=self.office,
        )
        minutes = f.draft(m, self.office)
        self.assertIn(
            ("列席", "领导小组办公室 陈静"), minutes_context(minutes)["name_lists"]
        )
