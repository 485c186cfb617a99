"""Meetings workflows: numbering, the minutes lifecycle, freezing, corrections,
stale edits, attendance all-or-nothing, agenda, grants, the plenary rule."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from meetings import services
from meetings.models import Attendance, Decision, Meeting, Minutes, Topic
from meetings.services import AttendanceRow, DecisionInput, MeetingData
from members.models import Person
from tests.base import PortalTestCase

from . import factories as f


class MeetingNumberingTests(PortalTestCase):
    def test_sequence_per_year_and_kind(self):
        a = f.meeting(self.office, held=False)
        b = f.meeting(self.office, held=False)
        p = f.meeting(self.office, kind=Meeting.Kind.PLENARY, held=False)
        self.assertEqual(b.sequence, a.sequence + 1)
        self.assertEqual(p.sequence, 1)
        year = timezone.localdate().year
        self.assertEqual(b.code, f"{year}-专题{b.sequence}")
        self.assertEqual(p.code, f"{year}-全体1")

    def test_deputy_needs_delegation_note(self):
        data = MeetingData(
            kind=Meeting.Kind.SPECIAL,
            title="专题会议",
            starts_at=timezone.now(),
            place="会议室",
            convener=Meeting.Convener.DEPUTY,
        )
        with self.assertRaises(ValidationError) as e:
            services.meeting_create(data=data, by=self.office)
        self.assertIn("委托", str(e.exception))
        self.assertFalse(Meeting.objects.filter(title="专题会议").exists())

    def test_partial_meeting_needs_units_and_reason(self):
        data = MeetingData(
            kind=Meeting.Kind.PARTIAL,
            title="部分单位会议",
            starts_at=timezone.now(),
            place="会议室",
        )
        with self.assertRaises(ValidationError) as e:
            services.meeting_create(data=data, by=self.office)
        self.assertIn("units", e.exception.error_dict)
        self.assertIn("partial_reason", e.exception.error_dict)

    def test_kind_fixed_once_minutes_exist(self):
        m = f.meeting(self.office, units=[self.unit_a])
        f.draft(m, self.office)
        data = MeetingData(
            kind=Meeting.Kind.TEMPORARY,
            title=m.title,
            starts_at=m.starts_at,
            place=m.place,
        )
        with self.assertRaises(ValidationError):
            services.meeting_update(meeting=m, data=data, by=self.office)
        m.refresh_from_db()
        self.assertEqual(m.kind, Meeting.Kind.SPECIAL)

    def test_cannot_mark_future_meeting_held(self):
        m = f.meeting(self.office, held=False, days=5)
        with self.assertRaises(ValidationError):
            services.meeting_mark_held(meeting=m, by=self.office)
        m.refresh_from_db()
        self.assertEqual(m.status, Meeting.Status.PLANNED)


class GrantTests(PortalTestCase):
    def test_special_meeting_visible_to_listed_units_only(self):
        m = f.meeting(self.office, units=[self.unit_a])
        self.assertTrue(self.liaison_a.has_perm("meetings.view_meeting", m))
        self.assertFalse(self.liaison_b.has_perm("meetings.view_meeting", m))
        self.assertFalse(self.liaison_a.has_perm("meetings.read_minutes", m))

    def test_plenary_visible_to_every_member_unit(self):
        m = f.meeting(self.office, kind=Meeting.Kind.PLENARY)
        for user in (self.liaison_a, self.liaison_b, self.outsider):
            self.assertIn(m, Meeting.objects.visible_to(user))
        self.assertNotIn(m, Meeting.objects.visible_to(self.nobody))

    def test_issue_grants_minutes_to_concerned_units(self):
        m = f.meeting(self.office, units=[self.unit_a])
        minutes = f.advance(
            f.draft(m, self.office),
            office=self.office,
            leader=self.leader,
            to="approved",
        )
        self.assertNotIn(minutes, Minutes.objects.visible_to(self.liaison_a))
        f.advance(minutes, office=self.office, leader=self.leader, to="issued")
        self.assertIn(minutes, Minutes.objects.visible_to(self.liaison_a))
        self.assertNotIn(minutes, Minutes.objects.visible_to(self.liaison_b))

    def test_changing_units_moves_the_grant(self):
        m = f.meeting(self.office, units=[self.unit_a])
        data = MeetingData(
            kind=m.kind,
            title=m.title,
            starts_at=m.starts_at,
            place=m.place,
            units=[self.unit_b],
        )
        services.meeting_update(meeting=m, data=data, by=self.office)
        self.assertNotIn(m, Meeting.objects.visible_to(self.liaison_a))
        self.assertIn(m, Meeting.objects.visible_to(self.liaison_b))


class MinutesLifecycleTests(PortalTestCase):
    def setUp(self):
        self.m = f.meeting(self.office, units=[self.unit_a])
        self.minutes = f.draft(self.m, self.office)

    def test_full_lifecycle_and_numbering(self):
        issued = f.advance(
            self.minutes, office=self.office, leader=self.leader, to="issued"
        )
        year = timezone.localdate().year
        self.assertEqual(issued.status, Minutes.Status.ISSUED)
        self.assertEqual(issued.issue_year, year)
        first = issued.issue_number
        self.assertEqual(issued.issue_label, f"〔{year}〕第{first}期")
        self.assertEqual(issued.approved_by, self.leader)
        other = f.advance(
            f.draft(f.meeting(self.office), self.office),
            office=self.office,
            leader=self.leader,
            to="issued",
        )
        self.assertEqual(other.issue_number, first + 1)

    def test_cannot_draft_before_meeting_held(self):
        planned = f.meeting(self.office, held=False)
        with self.assertRaises(ValidationError):
            f.draft(planned, self.office)

    def test_submit_needs_a_decided_matter(self):
        m = f.meeting(self.office)
        empty = f.draft(m, self.office, decisions=0)
        with self.assertRaises(ValidationError):
            services.minutes_submit(minutes=empty, by=self.office)
        empty.refresh_from_db()
        self.assertEqual(empty.status, Minutes.Status.DRAFT)

    def test_only_convener_approves(self):
        submitted = services.minutes_submit(minutes=self.minutes, by=self.office)
        # The meeting was convened by the 组长: the 副组长 may not approve it.
        with self.assertRaises(PermissionDenied):
            services.minutes_approve(minutes=submitted, by=self.deputy)
        with self.assertRaises(PermissionDenied):
            services.minutes_approve(minutes=submitted, by=self.office)
        services.minutes_approve(minutes=submitted, by=self.leader)

    def test_deputy_approves_delegated_meeting(self):
        m = f.meeting(
            self.office,
            convener=Meeting.Convener.DEPUTY,
            delegation_note="组长书面委托",
        )
        minutes = f.advance(
            f.draft(m, self.office),
            office=self.office,
            leader=self.deputy,
            to="approved",
        )
        self.assertEqual(minutes.approved_by, self.deputy)

    def test_return_needs_reason_and_goes_back_to_draft(self):
        submitted = services.minutes_submit(minutes=self.minutes, by=self.office)
        with self.assertRaises(ValidationError):
            services.minutes_return(minutes=submitted, by=self.leader, reason=" ")
        returned = services.minutes_return(
            minutes=submitted, by=self.leader, reason="第二项表述不准确"
        )
        self.assertEqual(returned.status, Minutes.Status.DRAFT)
        self.assertEqual(returned.return_reason, "第二项表述不准确")

    def test_issued_minutes_are_frozen(self):
        issued = f.advance(
            self.minutes, office=self.office, leader=self.leader, to="issued"
        )
        with self.assertRaises(ValidationError):
            services.minutes_update(
                minutes=issued,
                by=self.office,
                title="改过的标题",
                narrative="改过的正文",
                decisions=[],
                edit_version=issued.edit_version,
            )
        issued.refresh_from_db()
        self.assertNotEqual(issued.title, "改过的标题")
        self.assertEqual(issued.decisions.count(), 3)

    def test_correction_is_a_new_version_and_old_stays(self):
        issued = f.advance(
            self.minutes, office=self.office, leader=self.leader, to="issued"
        )
        with self.assertRaises(ValidationError):
            services.minutes_correct(minutes=issued, by=self.office, reason="")
        new = services.minutes_correct(
            minutes=issued, by=self.office, reason="第三项单位名称有误"
        )
        self.assertEqual(new.version, 2)
        self.assertEqual(new.status, Minutes.Status.DRAFT)
        self.assertEqual(new.supersedes, issued)
        self.assertEqual(
            list(new.decisions.values_list("text", flat=True)),
            list(issued.decisions.values_list("text", flat=True)),
        )
        issued.refresh_from_db()
        self.assertEqual(issued.status, Minutes.Status.ISSUED)
        self.assertTrue(issued.is_superseded)
        self.assertEqual(issued.superseded_by, new)
        # A second correction of the same version is refused.
        with self.assertRaises(ValidationError):
            services.minutes_correct(minutes=issued, by=self.office, reason="再次更正")
        new = f.advance(new, office=self.office, leader=self.leader, to="issued")
        self.assertEqual(new.issue_number, issued.issue_number + 1)

    def test_stale_edit_is_refused(self):
        opened = self.minutes.edit_version
        services.minutes_update(
            minutes=self.minutes,
            by=self.office,
            title="甲的标题",
            narrative="甲的正文",
            decisions=[DecisionInput(text="甲的事项")],
            edit_version=opened,
        )
        with self.assertRaises(services.StaleEdit) as e:
            services.minutes_update(
                minutes=self.minutes,
                by=self.office,
                title="乙的标题",
                narrative="乙的正文",
                decisions=[DecisionInput(text="乙的事项")],
                edit_version=opened,
            )
        self.assertEqual(e.exception.current.title, "甲的标题")
        self.minutes.refresh_from_db()
        self.assertEqual(self.minutes.title, "甲的标题")
        self.assertEqual(
            list(self.minutes.decisions.values_list("text", flat=True)), ["甲的事项"]
        )

    def test_decided_matters_reorder_edit_remove_keep_rows(self):
        d1, d2, d3 = self.minutes.decisions.order_by("number")
        services.minutes_update(
            minutes=self.minutes,
            by=self.office,
            title=self.minutes.title,
            narrative=self.minutes.narrative,
            decisions=[
                DecisionInput(text="原第三项", pk=d3.pk, suggested_units=[self.unit_b]),
                DecisionInput(text=d1.text, pk=d1.pk),
                DecisionInput(text="新增一项"),
            ],
            edit_version=self.minutes.edit_version,
        )
        rows = list(self.minutes.decisions.order_by("number"))
        self.assertEqual([d.number for d in rows], [1, 2, 3])
        self.assertEqual(rows[0].pk, d3.pk)
        self.assertEqual(rows[0].text, "原第三项")
        self.assertEqual(list(rows[0].suggested_units.all()), [self.unit_b])
        self.assertEqual(rows[1].pk, d1.pk)
        self.assertFalse(Decision.objects.filter(pk=d2.pk).exists())
        self.assertEqual(rows[0].code, f"{self.m.code}-1")

    def test_history_records_who_and_why(self):
        services.minutes_submit(minutes=self.minutes, by=self.office)
        record = self.minutes.history.first()
        self.assertEqual(record.history_change_reason, "报送审批")


class AttendanceTests(PortalTestCase):
    def setUp(self):
        self.m = f.meeting(self.office, units=[self.unit_a])
        self.p1 = Person.objects.get(name="蒋平")
        self.p2 = Person.objects.get(name="沈玉兰")
        self.p3 = Person.objects.get(name="杨柳")

    def test_roster_lists_leaders_and_concerned_members(self):
        names = [r.person.name for r in services.attendance_roster(self.m)]
        self.assertIn("王建华", names)
        self.assertIn("李志强", names)
        self.assertIn("蒋平", names)  # member for 区司法局
        self.assertEqual(names.count("李志强"), 1)  # holds two posts, listed once

    def test_all_or_nothing_with_row_named_errors(self):
        f.attend(self.m, self.office, [(self.p1, Attendance.Status.PRESENT)])
        with self.assertRaises(ValidationError) as e:
            services.attendance_record(
                meeting=self.m,
                rows=[
                    AttendanceRow(person=self.p2, status=Attendance.Status.PRESENT),
                    AttendanceRow(
                        person=self.p3,
                        status=Attendance.Status.PRESENT,
                        substitute=self.p2,
                    ),
                ],
                by=self.office,
            )
        self.assertIn("第2行（杨柳）", " ".join(e.exception.messages))
        self.assertEqual(
            list(self.m.attendance.values_list("person__name", flat=True)), ["蒋平"]
        )

    def test_absent_with_substitute_and_replace(self):
        services.attendance_record(
            meeting=self.m,
            rows=[
                AttendanceRow(
                    person=self.p1, status=Attendance.Status.ABSENT, substitute=self.p2
                ),
                AttendanceRow(person=self.p3, status=Attendance.Status.OBSERVER),
            ],
            by=self.office,
        )
        a = self.m.attendance.get(person=self.p1)
        self.assertEqual(a.substitute, self.p2)
        self.assertEqual(a.unit, self.unit_a)
        services.attendance_record(
            meeting=self.m,
            rows=[AttendanceRow(person=self.p1, status=Attendance.Status.PRESENT)],
            by=self.office,
        )
        self.assertEqual(self.m.attendance.count(), 1)
        self.assertEqual(a.history.count(), 2)


class TopicTests(PortalTestCase):
    def test_schedule_reorder_unschedule_decline(self):
        m = f.meeting(self.office, held=False, days=7)
        t1 = services.topic_raise(unit=self.unit_a, by=self.liaison_a, title="议题一")
        t2 = services.topic_raise(
            unit=self.unit_b,
            by=self.liaison_b,
            title="议题二",
            related_units=[self.unit_a, self.unit_b],
        )
        self.assertEqual(list(t2.related_units.all()), [self.unit_a])
        services.topic_schedule(topic=t1, meeting=m, presenter="蒋平", by=self.office)
        services.topic_schedule(topic=t2, meeting=m, presenter="杨柳", by=self.office)
        services.topic_move(topic=t2, up=True, by=self.office)
        order = list(m.topics.order_by("agenda_order").values_list("title", flat=True))
        self.assertEqual(order, ["议题二", "议题一"])
        services.topic_unschedule(topic=t2, by=self.office)
        t1.refresh_from_db()
        t2.refresh_from_db()
        self.assertEqual(t1.agenda_order, 1)
        self.assertEqual(t2.status, Topic.Status.RAISED)
        self.assertIsNone(t2.meeting)
        with self.assertRaises(ValidationError):
            services.topic_decline(topic=t2, reason="", by=self.office)
        services.topic_decline(topic=t2, reason="已由部门直接协商解决", by=self.office)
        t2.refresh_from_db()
        self.assertEqual(t2.status, Topic.Status.DECLINED)

    def test_held_meeting_marks_topics_discussed(self):
        m = f.meeting(self.office, held=False, days=-1)
        t = services.topic_raise(unit=self.unit_a, by=self.liaison_a, title="议题")
        services.topic_schedule(topic=t, meeting=m, presenter="", by=self.office)
        services.meeting_mark_held(meeting=m, by=self.office)
        t.refresh_from_db()
        self.assertEqual(t.status, Topic.Status.DISCUSSED)


class PlenaryRuleTests(PortalTestCase):
    def test_no_plenary_then_planned_then_held_cancelled_ignored(self):
        year = timezone.localdate().year
        status = services.plenary_status(year)
        self.assertFalse(status.ok)
        cancelled = f.meeting(
            self.office, kind=Meeting.Kind.PLENARY, held=False, days=1
        )
        services.meeting_cancel(meeting=cancelled, by=self.office)
        self.assertFalse(services.plenary_status(year).ok)
        planned = f.meeting(self.office, kind=Meeting.Kind.PLENARY, held=False, days=1)
        if planned.year == year:  # the last days of a year may plan into the next
            status = services.plenary_status(year)
            self.assertTrue(status.ok)
            self.assertTrue(status.planned)
            self.assertEqual(status.meeting, planned)
        self.assertFalse(services.plenary_status(year - 1).ok)

    def test_held_plenary_counts(self):
        m = f.meeting(self.office, kind=Meeting.Kind.PLENARY, days=-1)
        status = services.plenary_status(m.year)
        self.assertTrue(status.held)
        self.assertEqual(status.meeting, m)
        self.assertEqual(services.plenary_status(m.year + 1).meeting, None)
