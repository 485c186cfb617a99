"""Small page details: 标记为已召开 only once the meeting has started, the agenda
form inside its card, the added 议定事项 row styled like the others, attendance
column widths, Chinese admin headers."""

from __future__ import annotations

import re
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.changelog import meeting_changelog
from meetings.models import Meeting, Minutes
from meetings.services import AttendanceRow, MeetingData, attendance_record
from members.models import Person
from tests.base import PortalTestCase

from . import factories as f


class MeetingPageTests(PortalTestCase):
    def test_future_meeting_offers_no_working_mark_held(self):
        m = f.meeting(self.office, units=[self.unit_a], held=False, days=7)
        r = self.get_as(self.office, m.get_absolute_url())
        self.assertNotContains(r, reverse("meetings:mark_held", args=[m.pk]))
        self.assertContains(r, "后才能标记为已召开")
        self.assertRegex(
            r.content.decode(), r"<button[^>]*disabled[^>]*>标记为已召开</button>"
        )

    def test_started_meeting_offers_mark_held(self):
        m = f.meeting(self.office, units=[self.unit_a], held=False, days=-1)
        r = self.get_as(self.office, m.get_absolute_url())
        self.assertContains(r, reverse("meetings:mark_held", args=[m.pk]))
        self.assertNotContains(r, "后才能标记为已召开")

    def test_attendance_notes_for_office_and_leaders_only(self):
        # A reason for leave (病假…) is the office's note about a person, not for
        # the other units that may open the meeting.
        m = f.meeting(self.office, units=[self.unit_a, self.unit_b])
        jiang = Person.objects.get(name="蒋平")
        attendance_record(
            meeting=m,
            rows=[AttendanceRow(person=jiang, status="absent", note="病假（住院）")],
            by=self.office,
        )
        for user in (self.office, self.leader):
            r = self.get_as(user, m.get_absolute_url())
            self.assertContains(r, "病假（住院）")
            self.assertContains(r, "<th>备注</th>", html=True)
        for user in (self.liaison_a, self.liaison_b):
            r = self.get_as(user, m.get_absolute_url())
            self.assertEqual(r.status_code, 200)
            self.assertContains(r, "蒋平")
            self.assertNotContains(r, "病假")
            self.assertNotContains(r, "<th>备注</th>", html=True)

    def test_planned_meeting_past_its_start_awaits_confirmation(self):
        # A meeting whose time has passed but is still 已计划 says so in the list
        # and on the office's home, until it is marked held.
        past = f.meeting(
            self.office, units=[self.unit_a], held=False, days=-2, title="逾期会"
        )
        f.meeting(self.office, units=[self.unit_a], held=False, days=3, title="将开会")
        html = self.get_as(self.office, reverse("meetings:list")).content.decode()
        rows = {
            title: row
            for row in re.findall(r"<tr>(.*?)</tr>", html, re.S)
            for title in ("逾期会", "将开会")
            if title in row
        }
        self.assertIn("待确认召开", rows["逾期会"])
        self.assertNotIn("待确认召开", rows["将开会"])
        home = self.get_as(self.office, reverse("home"))
        self.assertContains(home, "时间已过，待确认召开")
        self.assertContains(home, past.get_absolute_url())
        # Leaders and units are not asked to act on it.
        self.assertNotContains(self.get_as(self.liaison_a, reverse("home")), "待确认")
        self.assertNotContains(self.get_as(self.leader, reverse("home")), "待确认")
        self.post_as(self.office, reverse("meetings:mark_held", args=[past.pk]))
        html = self.get_as(self.office, reverse("meetings:list")).content.decode()
        self.assertNotIn("待确认召开", html)
        self.assertNotContains(self.get_as(self.office, reverse("home")), "待确认")

    def test_agenda_form_is_not_a_row_on_the_card_footer(self):
        m = f.meeting(self.office, units=[self.unit_a], held=False, days=7)
        html = self.get_as(self.office, m.get_absolute_url()).content.decode()
        self.assertNotIn("card-footer bg-white row", html)
        self.assertRegex(
            html, r'<div class="card-footer bg-white">\s*<form[^>]*class="row g-2'
        )


class DecisionRowTests(PortalTestCase):
    def test_empty_row_gets_the_small_order_box(self):
        minutes = f.draft(f.meeting(self.office, units=[self.unit_a]), self.office)
        html = self.get_as(
            self.office, reverse("meetings:minutes_edit", args=[minutes.pk])
        ).content.decode()
        template = html[html.index('<template id="dec-empty">') :]
        order = re.search(r'<input[^>]*name="dec-__prefix__-ORDER"[^>]*>', template)
        self.assertIsNotNone(order)
        self.assertIn("order-input", order.group(0))
        self.assertIn("form-control-sm", order.group(0))


class AttendanceTableTests(PortalTestCase):
    def test_columns_have_widths(self):
        m = f.meeting(self.office, units=[self.unit_a])
        r = self.get_as(self.office, reverse("meetings:attendance", args=[m.pk]))
        self.assertContains(r, '<col width="25%">')
        self.assertContains(r, '<col width="17%">')


class AdminLabelTests(PortalTestCase):
    def setUp(self) -> None:
        m = f.meeting(self.office, units=[self.unit_a])
        self.minutes = f.advance(
            f.draft(m, self.office),
            office=self.office,
            leader=self.leader,
            to=Minutes.Status.SUBMITTED,
        )

    def assertNoEnglish(self, url: str, *words: str) -> str:
        self.client.force_login(self.office)
        r = self.client.get(url)
        self.assertEqual(r.status_code, 200, url)
        html = r.content.decode()
        for word in words:
            self.assertNotRegex(html, rf">\s*{word}\s*<", url)
        return html

    def test_meetings_admin_headers_and_labels_in_chinese(self):
        self.assertNoEnglish(
            reverse("admin:meetings_minutes_changelist"), "Meeting", "Issue label"
        )
        self.assertNoEnglish(
            reverse("admin:meetings_decision_changelist"), "Code", "Minutes"
        )
        html = self.assertNoEnglish(
            reverse("admin:meetings_meeting_change", args=[self.minutes.meeting_id]),
            "Group:",
            "Created by:",
        )
        self.assertIn("领导小组", html)
        self.assertIn("创建人", html)
        html = self.assertNoEnglish(
            reverse("admin:meetings_minutes_change", args=[self.minutes.pk]),
            "Meeting:",
            "Drafted by:",
        )
        self.assertIn("起草人", html)


class ChangelogTests(PortalTestCase):
    def test_creating_or_editing_a_meeting_is_one_entry_with_its_units(self):
        # The service saves the meeting, then sets its units: two history records
        # of one step, shown as one entry.
        m = services.meeting_create(
            data=MeetingData(
                kind=Meeting.Kind.SPECIAL,
                title="协作会",
                starts_at=timezone.now() + timedelta(days=3),
                place="区政府第三会议室",
                units=[self.unit_a],
            ),
            by=self.office,
        )
        [created] = meeting_changelog(m)
        self.assertEqual(created.action, "created")
        self.assertEqual(
            [(c.label, c.new) for c in created.changes],
            [("参会（涉及）单位", self.unit_a.name)],
        )
        services.meeting_update(
            meeting=m,
            data=MeetingData(
                kind=Meeting.Kind.SPECIAL,
                title="协作会（调整）",
                starts_at=m.starts_at,
                place=m.place,
                units=[self.unit_a, self.unit_b],
            ),
            by=self.office,
        )
        edited, created_again = meeting_changelog(m)
        self.assertEqual(created_again.action, "created")
        self.assertEqual(edited.reason, "修改会议信息")
        self.assertEqual(
            {c.label for c in edited.changes}, {"会议名称", "参会（涉及）单位"}
        )


class ReplacedVersionBadgeTests(PortalTestCase):
    def test_a_version_replaced_by_an_issued_correction_is_marked(self):
        m = f.meeting(self.office, units=[self.unit_a])
        first = f.advance(
            f.draft(m, self.office), office=self.office, leader=self.leader, to="issued"
        )
        second = services.minutes_correct(minutes=first, by=self.office, reason="笔误")
        # A correction still in draft replaces nothing yet.
        r = self.get_as(self.liaison_a, m.get_absolute_url())
        self.assertNotContains(r, "已被更正")
        f.advance(second, office=self.office, leader=self.leader, to="issued")
        for url in (m.get_absolute_url(), first.get_absolute_url()):
            html = self.get_as(self.liaison_a, url).content.decode()
            items = re.findall(
                r'<li class="list-group-item[^"]*">(.*?)</li>', html, re.S
            )
            v1 = next(i for i in items if "第1版" in i)
            v2 = next(i for i in items if "第2版" in i)
            self.assertIn("已被更正", v1)
            self.assertNotIn(">已印发<", v1)
            self.assertIn(">已印发<", v2)


class MissingAttendanceWarningTests(PortalTestCase):
    def test_office_is_warned_before_issuing_minutes_without_attendance(self):
        m = f.meeting(self.office, units=[self.unit_a])
        minutes = f.draft(m, self.office)
        warning = "会议尚未记录出席情况"
        r = self.get_as(self.office, minutes.get_absolute_url())
        self.assertContains(r, warning)
        self.assertContains(r, reverse("meetings:attendance", args=[m.pk]))
        self.assertNotContains(
            self.get_as(self.leader, minutes.get_absolute_url()), warning
        )
        attendance_record(
            meeting=m,
            rows=[
                AttendanceRow(person=Person.objects.get(name="蒋平"), status="present")
            ],
            by=self.office,
        )
        self.assertNotContains(
            self.get_as(self.office, minutes.get_absolute_url()), warning
        )


class MinutesPageQueryTests(PortalTestCase):
    def test_draft_reads_the_live_meeting_once(self):
        # The paper (mark, distribution) and the 出席/请假/列席 lists come from one
        # read of the live meeting, not one per part of the page.
        m = f.meeting(self.office, units=[self.unit_a])
        f.attend(m, self.office, [(Person.objects.get(name="蒋平"), "present")])
        minutes = f.draft(m, self.office)
        self.login(self.office)
        with CaptureQueriesContext(connection) as ctx:
            r = self.client.get(minutes.get_absolute_url())
        self.assertContains(r, f"分送：领导小组组长、副组长，{self.unit_a.name}。")
        self.assertContains(r, "蒋平")
        reads = [q for q in ctx.captured_queries if "meetings_attendance" in q["sql"]]
        self.assertEqual(len(reads), 1, "\n".join(q["sql"] for q in reads))
        # 分送 reads the meeting's and the decided matters' units in one query: the
        # draft's page stays within the portal's 15 queries a page.
        self.assertLessEqual(len(ctx.captured_queries), 15)

    def test_who_returned_a_draft_is_read_with_its_history(self):
        m = f.meeting(self.office, units=[self.unit_a])
        minutes = f.draft(m, self.office)
        services.minutes_submit(minutes=minutes, by=self.office)
        self.post_as(
            self.leader,
            reverse("meetings:minutes_return", args=[minutes.pk]),
            {"reason": "请补充时限"},
        )
        self.login(self.office)
        with CaptureQueriesContext(connection) as ctx:
            r = self.client.get(minutes.get_absolute_url())
        self.assertContains(r, f"{self.leader} 于")
        users = [q for q in ctx.captured_queries if 'FROM "members_user"' in q["sql"]]
        # the signed-in person only: 退回 by whom comes with the history record
        self.assertEqual(len(users), 1, "\n".join(q["sql"] for q in users))

    def test_tasks_of_all_decided_matters_in_one_query(self):
        from tasks.services import task_assign

        def issued_with(n: int) -> Minutes:
            m = f.meeting(self.office, units=[self.unit_a, self.unit_b])
            minutes = f.advance(
                f.draft(m, self.office, decisions=n),
                office=self.office,
                leader=self.leader,
                to="issued",
            )
            for d in minutes.decisions.order_by("number"):
                task_assign(
                    decision=d,
                    lead=self.unit_a if d.number % 2 else self.unit_b,
                    co_units=[],
                    due=timezone.localdate() + timedelta(days=30),
                    title=d.text,
                    description=d.text,
                    by=self.office,
                )
            return minutes

        def task_reads(minutes: Minutes, user) -> tuple[int, str]:
            self.login(user)
            with CaptureQueriesContext(connection) as ctx:
                r = self.client.get(minutes.get_absolute_url())
            self.assertEqual(r.status_code, 200)
            reads = [q for q in ctx.captured_queries if 'FROM "tasks_task"' in q["sql"]]
            return len(reads), r.content.decode()

        two, five = issued_with(2), issued_with(5)
        self.assertEqual(
            task_reads(two, self.office)[0], task_reads(five, self.office)[0]
        )
        reads, page = task_reads(five, self.liaison_a)
        self.assertEqual(reads, 1)
        # A liaison sees its own unit's tasks of the minutes, not the others'.
        codes = re.findall(r'href="/tasks/\d+/">([^<]+)</a>（([^，]+)，', page)
        self.assertEqual({unit for _code, unit in codes}, {self.unit_a.name})
        self.assertEqual(len(codes), 3)
