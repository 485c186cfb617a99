"""Meetings pages through the test client, with their permission matrices."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from meetings import access, services
from meetings.models import Attendance, Meeting, Minutes, Topic
from meetings.services import DecisionInput
from members.models import Person
from tests.base import PortalTestCase

from . import factories as f


class MeetingsViewTestCase(PortalTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.special = f.meeting(
            cls.office, units=[cls.unit_a], title="知识产权保护专题会议"
        )
        f.attend(
            cls.special,
            cls.office,
            [
                (Person.objects.get(name="蒋平"), Attendance.Status.PRESENT),
                (Person.objects.get(name="王建华"), Attendance.Status.PRESENT),
            ],
        )
        cls.issued = f.advance(
            f.draft(cls.special, cls.office),
            office=cls.office,
            leader=cls.leader,
            to="issued",
        )
        cls.drafted_meeting = f.meeting(
            cls.office, units=[cls.unit_a], title="资金临时会议"
        )
        cls.draft = f.draft(cls.drafted_meeting, cls.office)
        cls.plenary = f.meeting(
            cls.office, kind=Meeting.Kind.PLENARY, held=False, days=10, title="全体会议"
        )
        cls.topic = services.topic_raise(
            unit=cls.unit_a,
            by=cls.liaison_a,
            title="建立纠纷调解衔接机制",
            description="需要法院配合",
        )

    def assertStatus(self, user, url: str, status: int, method: str = "get", data=None):
        response = (self.get_as if method == "get" else self.post_as)(
            user, url, *([data] if data else [])
        )
        if status == 302 and user is None:
            self.assertLoginRedirect(response)
        else:
            self.assertEqual(response.status_code, status, f"{user} {method} {url}")
        return response


class MeetingPagesTests(MeetingsViewTestCase):
    def test_list_matrix(self):
        url = reverse("meetings:list")
        r = self.assertStatus(self.office, url, 200)
        self.assertContains(r, "知识产权保护专题会议")
        self.assertContains(r, "资金临时会议")
        r = self.assertStatus(self.liaison_a, url, 200)
        self.assertContains(r, "知识产权保护专题会议")
        self.assertContains(r, "全体会议")
        r = self.assertStatus(self.liaison_b, url, 200)
        self.assertNotContains(r, "知识产权保护专题会议")
        self.assertContains(r, "全体会议")
        self.assertContains(r, reverse("meetings:calendar"))
        self.assertStatus(None, url, 302)

    def test_list_filters_and_search(self):
        url = reverse("meetings:list")
        r = self.get_as(self.office, url, data={"kind": "plenary"})
        self.assertContains(r, "全体会议")
        self.assertNotContains(r, "知识产权保护专题会议")
        r = self.get_as(self.office, url, data={"q": "资金"})
        self.assertContains(r, "资金临时会议")
        self.assertNotContains(r, "知识产权保护专题会议")
        r = self.get_as(self.office, url, data={"status": "planned"})
        self.assertNotContains(r, "资金临时会议")

    def test_a_bad_filter_value_does_not_drop_the_others(self):
        # An old bookmark with a year no meeting has any more, or a mistyped kind:
        # the search and the other filters still apply.
        url = reverse("meetings:list")
        r = self.get_as(self.office, url, data={"q": "资金", "year": "1999"})
        self.assertContains(r, "资金临时会议")
        self.assertNotContains(r, "知识产权保护专题会议")
        r = self.get_as(self.office, url, data={"kind": "nonsense", "q": "资金"})
        self.assertContains(r, "资金临时会议")
        self.assertNotContains(r, "知识产权保护专题会议")

    def test_list_queries_do_not_grow(self):
        url = reverse("meetings:list")
        self.client.force_login(self.liaison_a)
        self.client.get(url)
        with CaptureQueriesContext(connection) as small:
            self.client.get(url)
        self.assertLess(len(small.captured_queries), 15)
        for _ in range(5):
            m = f.meeting(self.office, units=[self.unit_a])
            f.advance(
                f.draft(m, self.office),
                office=self.office,
                leader=self.leader,
                to="issued",
            )
        with self.assertNumQueries(len(small.captured_queries)):
            self.client.get(url)

    def test_detail_matrix(self):
        url = self.special.get_absolute_url()
        self.assertStatus(self.office, url, 200)
        self.assertStatus(self.leader, url, 200)
        r = self.assertStatus(self.liaison_a, url, 200)
        self.assertContains(r, self.issued.issue_label)
        self.assertNotContains(r, "变更记录")
        self.assertStatus(self.head_a, url, 200)
        self.assertStatus(self.liaison_b, url, 404)
        self.assertStatus(self.outsider, url, 404)
        self.assertStatus(self.nobody, url, 404)
        self.assertStatus(None, url, 302)

    def test_detail_hides_draft_minutes_from_units(self):
        r = self.get_as(self.liaison_a, self.drafted_meeting.get_absolute_url())
        self.assertNotContains(r, self.draft.get_absolute_url())
        r = self.get_as(self.office, self.drafted_meeting.get_absolute_url())
        self.assertContains(r, self.draft.get_absolute_url())

    def test_change_log_shows_who_and_what(self):
        self.client.force_login(self.office)
        self.client.post(
            reverse("meetings:edit", args=[self.plenary.pk]),
            {
                "kind": "plenary",
                "title": "全体会议（改期）",
                "starts_at": (timezone.localtime(self.plenary.starts_at)).strftime(
                    "%Y-%m-%dT%H:%M"
                ),
                "place": "区政府第二会议室",
                "convener": "leader",
            },
        )
        r = self.client.get(self.plenary.get_absolute_url())
        self.assertContains(r, "变更记录")
        self.assertContains(r, "区政府第二会议室")
        self.assertContains(r, "陈静")
        self.assertContains(r, "修改会议信息")

    def test_create_meeting(self):
        url = reverse("meetings:create")
        self.assertStatus(self.liaison_a, url, 403)
        self.assertStatus(self.leader, url, 403)
        self.assertStatus(None, url, 302)
        starts = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
        data = {
            "kind": "special",
            "title": "涉外知识产权专题会议",
            "starts_at": starts,
            "place": "区商务局会议室",
            "convener": "deputy",
            "units": [self.unit_a.pk, self.unit_b.pk],
        }
        r = self.post_as(self.office, url, data)
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "由副组长召集时，须写明组长的委托。")
        self.assertFalse(Meeting.objects.filter(title="涉外知识产权专题会议").exists())
        r = self.post_as(self.office, url, {**data, "delegation_note": "组长电话委托"})
        m = Meeting.objects.get(title="涉外知识产权专题会议")
        self.assertRedirects(r, m.get_absolute_url())
        self.assertEqual(m.sequence, 3)  # two special meetings in setUpTestData
        self.assertEqual(set(m.units.all()), {self.unit_a, self.unit_b})
        self.assertIn(m, Meeting.objects.visible_to(self.liaison_b))

    def test_edit_matrix(self):
        url = reverse("meetings:edit", args=[self.special.pk])
        self.assertStatus(self.office, url, 200)
        self.assertStatus(self.leader, url, 403)
        self.assertStatus(self.liaison_a, url, 403)
        self.assertStatus(self.liaison_b, url, 404)
        self.assertStatus(None, url, 302)

    def test_mark_held_and_cancel(self):
        past = f.meeting(self.office, held=False, days=-1, units=[self.unit_a])
        url = reverse("meetings:mark_held", args=[past.pk])
        self.assertStatus(self.office, url, 405)
        self.assertStatus(self.liaison_a, url, 403, "post")
        self.assertStatus(self.liaison_b, url, 404, "post")
        self.assertStatus(None, url, 302, "post")
        self.assertStatus(self.office, url, 302, "post")
        past.refresh_from_db()
        self.assertEqual(past.status, Meeting.Status.HELD)
        url = reverse("meetings:cancel", args=[self.plenary.pk])
        self.assertStatus(self.office, url, 405)
        self.assertStatus(self.leader, url, 403, "post")
        self.assertStatus(self.office, url, 302, "post")
        self.plenary.refresh_from_db()
        self.assertEqual(self.plenary.status, Meeting.Status.CANCELLED)


class AttendanceViewTests(MeetingsViewTestCase):
    def formset_data(self, rows):
        data = {
            "att-TOTAL_FORMS": str(len(rows)),
            "att-INITIAL_FORMS": "0",
            "att-MIN_NUM_FORMS": "0",
            "att-MAX_NUM_FORMS": "1000",
        }
        for i, row in enumerate(rows):
            for key, value in row.items():
                data[f"att-{i}-{key}"] = value
        return data

    def test_matrix(self):
        url = reverse("meetings:attendance", args=[self.special.pk])
        r = self.assertStatus(self.office, url, 200)
        self.assertContains(r, "蒋平")
        self.assertStatus(self.leader, url, 403)
        self.assertStatus(self.liaison_a, url, 403)
        self.assertStatus(self.liaison_b, url, 404)
        self.assertStatus(None, url, 302)

    def test_roster_prefilled_when_nothing_recorded(self):
        r = self.get_as(
            self.office, reverse("meetings:attendance", args=[self.drafted_meeting.pk])
        )
        self.assertContains(
            r, f'<option value="{Person.objects.get(name="王建华").pk}" selected'
        )

    def test_save_whole_meeting_and_row_errors(self):
        url = reverse("meetings:attendance", args=[self.special.pk])
        jiang = Person.objects.get(name="蒋平")
        shen = Person.objects.get(name="沈玉兰")
        yang = Person.objects.get(name="杨柳")
        bad = self.formset_data(
            [
                {"person": jiang.pk, "status": "absent", "substitute": shen.pk},
                {"person": yang.pk, "status": "present", "substitute": shen.pk},
            ]
        )
        r = self.post_as(self.office, url, bad)
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "第2行（杨柳）")
        self.assertContains(r, "只有“请假”时才填写代为出席人员")
        self.assertEqual(
            set(self.special.attendance.values_list("person__name", flat=True)),
            {"蒋平", "王建华"},
        )
        good = self.formset_data(
            [
                {"person": jiang.pk, "status": "absent", "substitute": shen.pk},
                {"person": yang.pk, "status": "observer"},
            ]
        )
        r = self.post_as(self.office, url, good)
        self.assertRedirects(r, self.special.get_absolute_url())
        rows = {a.person.name: a for a in self.special.attendance.all()}
        self.assertEqual(set(rows), {"蒋平", "杨柳"})
        self.assertEqual(rows["蒋平"].substitute, shen)

    def test_duplicate_person_named(self):
        url = reverse("meetings:attendance", args=[self.special.pk])
        jiang = Person.objects.get(name="蒋平")
        r = self.post_as(
            self.office,
            url,
            self.formset_data(
                [
                    {"person": jiang.pk, "status": "present"},
                    {"person": jiang.pk, "status": "observer"},
                ]
            ),
        )
        self.assertContains(r, "第2行（蒋平）：与第1行是同一人。")

    def test_every_row_error_at_once_in_chinese_and_input_kept(self):
        # One save lists what is wrong in every row, a missing choice as a Chinese
        # sentence naming it, and marks those rows; the typed values stay.
        url = reverse("meetings:attendance", args=[self.special.pk])
        jiang = Person.objects.get(name="蒋平")
        shen = Person.objects.get(name="沈玉兰")
        yang = Person.objects.get(name="杨柳")
        chen = Person.objects.get(name="陈静")
        r = self.post_as(
            self.office,
            url,
            self.formset_data(
                [
                    {"person": jiang.pk, "status": "absent", "note": "外出学习"},
                    {"person": yang.pk, "status": "present", "substitute": shen.pk},
                    {"person": jiang.pk, "status": "observer"},
                    {"person": chen.pk, "status": ""},
                    {"person": "", "status": "present"},
                ]
            ),
        )
        self.assertEqual(r.status_code, 200)
        errors = r.context["formset"].non_form_errors()
        self.assertEqual(
            list(errors),
            [
                "第2行（杨柳）：只有“请假”时才填写代为出席人员。",
                "第3行（蒋平）：与第1行是同一人。",
                "第4行（陈静）：请选择出席情况（出席、列席或请假）。",
                "第5行（未选择人员）：请选择人员。",
            ],
        )
        self.assertNotContains(r, "这个字段是必填项")
        self.assertEqual(r.content.decode().count('class="row-invalid"'), 4)
        self.assertContains(r, 'value="外出学习"')
        self.assertEqual(
            set(self.special.attendance.values_list("person__name", flat=True)),
            {"蒋平", "王建华"},
        )

    def test_other_field_error_names_row_and_field(self):
        url = reverse("meetings:attendance", args=[self.special.pk])
        jiang = Person.objects.get(name="蒋平")
        r = self.post_as(
            self.office,
            url,
            self.formset_data(
                [{"person": jiang.pk, "status": "present", "note": "长" * 201}]
            ),
        )
        [error] = r.context["formset"].non_form_errors()
        self.assertTrue(error.startswith("第1行（蒋平），备注："), error)


class AgendaAndTopicViewTests(MeetingsViewTestCase):
    def test_topic_form_does_not_offer_the_raising_unit_itself(self):
        url = reverse("meetings:topic_create")
        r = self.get_as(self.liaison_a, url)
        boxes = r.context["form"].fields["related_units"].queryset
        self.assertNotIn(self.unit_a, boxes)
        self.assertIn(self.unit_b, boxes)
        r = self.get_as(self.office, url)
        self.assertIn(self.unit_a, r.context["form"].fields["related_units"].queryset)

    def test_topic_raise_by_liaison_and_visibility(self):
        url = reverse("meetings:topic_create")
        self.assertStatus(self.leader, url, 403)
        self.assertStatus(self.nobody, url, 403)
        r = self.post_as(
            self.liaison_b,
            url,
            {
                "title": "资助资金拨付协调",
                "description": "需市场监管局提供名单",
                "related_units": [self.unit_a.pk],
            },
        )
        topic = Topic.objects.get(title="资助资金拨付协调")
        self.assertRedirects(r, topic.get_absolute_url())
        self.assertEqual(topic.raised_by_unit, self.unit_b)
        self.assertStatus(self.liaison_b, topic.get_absolute_url(), 200)
        self.assertStatus(self.office, topic.get_absolute_url(), 200)
        self.assertStatus(self.leader, topic.get_absolute_url(), 200)
        # Unit A is named as needing to coordinate: it may open the topic.
        self.assertStatus(self.liaison_a, topic.get_absolute_url(), 200)
        self.assertStatus(self.outsider, topic.get_absolute_url(), 404)
        self.assertStatus(None, topic.get_absolute_url(), 302)

    def test_topic_list_matrix(self):
        url = reverse("meetings:topics")
        r = self.assertStatus(self.office, url, 200)
        self.assertContains(r, "建立纠纷调解衔接机制")
        self.assertContains(self.get_as(self.liaison_a, url), "建立纠纷调解衔接机制")
        self.assertNotContains(self.get_as(self.liaison_b, url), "建立纠纷调解衔接机制")
        self.assertStatus(self.nobody, url, 404)
        self.assertStatus(None, url, 302)

    def test_topic_list_shows_topics_a_unit_is_asked_to_coordinate(self):
        asking = services.topic_raise(
            unit=self.unit_b,
            by=self.liaison_b,
            title="联合执法人员调配",
            related_units=[self.unit_a],
        )
        private = services.topic_raise(
            unit=self.unit_b, by=self.liaison_b, title="本局内部经费安排"
        )
        url = reverse("meetings:topics")
        r = self.get_as(self.liaison_a, url)
        self.assertContains(r, asking.title)
        self.assertContains(r, "需本单位协同")
        self.assertNotContains(r, private.title)
        self.assertEqual(
            set(Topic.objects.visible_to(self.liaison_a)),
            {
                t
                for t in Topic.objects.all()
                if access.may_view_topic(self.liaison_a, t)
            },
        )
        raised = self.get_as(self.liaison_a, url + "?side=raised")
        self.assertNotContains(raised, asking.title)
        self.assertContains(raised, "建立纠纷调解衔接机制")
        asked = self.get_as(self.liaison_a, url + "?side=asked")
        self.assertContains(asked, asking.title)
        self.assertNotContains(asked, "建立纠纷调解衔接机制")
        self.assertNotContains(self.get_as(self.outsider, url), asking.title)

    def test_office_schedules_reorders_removes(self):
        m = f.meeting(self.office, held=False, days=5, units=[self.unit_a])
        url = reverse("meetings:agenda_add", args=[m.pk])
        self.assertStatus(self.office, url, 405)
        self.assertStatus(self.liaison_a, url, 403, "post", {"topic": self.topic.pk})
        self.assertStatus(self.liaison_b, url, 404, "post", {"topic": self.topic.pk})
        other = services.topic_raise(
            unit=self.unit_b, by=self.liaison_b, title="第二个议题"
        )
        self.post_as(self.office, url, {"topic": self.topic.pk, "presenter": "蒋平"})
        self.post_as(self.office, url, {"topic": other.pk, "presenter": "杨柳"})
        r = self.get_as(self.office, m.get_absolute_url())
        self.assertContains(r, "汇报人：蒋平")
        move = reverse("meetings:topic_move", args=[other.pk])
        self.assertStatus(self.office, move, 405)
        self.assertStatus(self.liaison_b, move, 403, "post", {"direction": "up"})
        self.post_as(self.office, move, {"direction": "up"})
        self.assertEqual(
            list(m.topics.order_by("agenda_order").values_list("pk", flat=True)),
            [other.pk, self.topic.pk],
        )
        remove = reverse("meetings:topic_unschedule", args=[other.pk])
        self.assertStatus(self.office, remove, 405)
        self.post_as(self.office, remove)
        other.refresh_from_db()
        self.assertEqual(other.status, Topic.Status.RAISED)

    def test_decline_needs_reason(self):
        url = reverse("meetings:topic_decline", args=[self.topic.pk])
        self.assertStatus(self.office, url, 405)
        self.assertStatus(self.liaison_a, url, 403, "post", {"reason": "x"})
        self.assertStatus(self.liaison_b, url, 404, "post", {"reason": "x"})
        self.post_as(self.office, url, {"reason": ""})
        self.topic.refresh_from_db()
        self.assertEqual(self.topic.status, Topic.Status.RAISED)
        self.post_as(self.office, url, {"reason": "已协商解决"})
        self.topic.refresh_from_db()
        self.assertEqual(self.topic.status, Topic.Status.DECLINED)
        self.assertContains(
            self.get_as(self.liaison_a, self.topic.get_absolute_url()), "已协商解决"
        )


class MinutesViewTests(MeetingsViewTestCase):
    def test_issued_minutes_matrix(self):
        url = self.issued.get_absolute_url()
        for user in (
            self.office,
            self.leader,
            self.deputy,
            self.liaison_a,
            self.head_a,
        ):
            r = self.assertStatus(user, url, 200)
            self.assertContains(r, self.issued.issue_label)
        self.assertStatus(self.liaison_b, url, 404)
        self.assertStatus(self.outsider, url, 404)
        self.assertStatus(self.nobody, url, 404)
        self.assertStatus(None, url, 302)

    def test_draft_minutes_matrix(self):
        url = self.draft.get_absolute_url()
        self.assertStatus(self.office, url, 200)
        self.assertStatus(self.leader, url, 200)
        self.assertStatus(self.liaison_a, url, 404)
        self.assertStatus(self.liaison_b, url, 404)
        self.assertStatus(None, url, 302)

    def test_pdf_matrix(self):
        url = reverse("meetings:minutes_pdf", args=[self.issued.pk])
        r = self.assertStatus(self.liaison_a, url, 200)
        self.assertEqual(r["Content-Type"], "application/pdf")
        self.assertTrue(r.content.startswith(b"%PDF"))
        self.assertStatus(self.liaison_b, url, 404)
        self.assertStatus(None, url, 302)
        self.assertStatus(
            self.liaison_a, reverse("meetings:minutes_pdf", args=[self.draft.pk]), 404
        )

    def test_post_only_actions(self):
        for name in (
            "minutes_submit",
            "minutes_approve",
            "minutes_return",
            "minutes_issue",
        ):
            self.assertStatus(
                self.office, reverse(f"meetings:{name}", args=[self.draft.pk]), 405
            )

    def test_lifecycle_through_pages(self):
        submit = reverse("meetings:minutes_submit", args=[self.draft.pk])
        self.assertStatus(self.liaison_a, submit, 404, "post")
        self.assertStatus(self.leader, submit, 403, "post")
        self.assertStatus(None, submit, 302, "post")
        self.post_as(self.office, submit)
        self.draft.refresh_from_db()
        self.assertEqual(self.draft.status, Minutes.Status.SUBMITTED)
        r = self.get_as(self.leader, self.draft.get_absolute_url())
        self.assertContains(r, "审批同意")
        self.assertNotContains(
            self.get_as(self.deputy, self.draft.get_absolute_url()), "审批同意</button>"
        )
        approve = reverse("meetings:minutes_approve", args=[self.draft.pk])
        self.assertStatus(self.deputy, approve, 403, "post")
        self.assertStatus(self.office, approve, 403, "post")
        self.assertStatus(self.liaison_a, approve, 404, "post")
        ret = reverse("meetings:minutes_return", args=[self.draft.pk])
        self.post_as(self.leader, ret, {"reason": ""})
        self.draft.refresh_from_db()
        self.assertEqual(self.draft.status, Minutes.Status.SUBMITTED)
        self.post_as(self.leader, approve)
        self.draft.refresh_from_db()
        self.assertEqual(self.draft.status, Minutes.Status.APPROVED)
        issue = reverse("meetings:minutes_issue", args=[self.draft.pk])
        self.assertStatus(self.leader, issue, 403, "post")
        self.assertStatus(self.liaison_a, issue, 404, "post")
        self.post_as(self.office, issue)
        self.draft.refresh_from_db()
        self.assertEqual(self.draft.status, Minutes.Status.ISSUED)
        self.assertEqual(self.draft.issue_number, self.issued.issue_number + 1)
        self.assertStatus(self.liaison_a, self.draft.get_absolute_url(), 200)
        self.assertStatus(self.liaison_b, self.draft.get_absolute_url(), 404)

    def test_return_with_reason(self):
        services.minutes_submit(minutes=self.draft, by=self.office)
        self.post_as(
            self.leader,
            reverse("meetings:minutes_return", args=[self.draft.pk]),
            {"reason": "请补充时限"},
        )
        self.draft.refresh_from_db()
        self.assertEqual(self.draft.status, Minutes.Status.DRAFT)
        self.assertContains(
            self.get_as(self.office, self.draft.get_absolute_url()), "请补充时限"
        )

    def test_returned_minutes_say_who_returned_them_and_when(self):
        # Returning clears 报审; the office still sees who sent it back and when,
        # on the minutes and on the edit page, after saving the draft again.
        services.minutes_submit(minutes=self.draft, by=self.office)
        self.post_as(
            self.leader,
            reverse("meetings:minutes_return", args=[self.draft.pk]),
            {"reason": "请补充时限"},
        )
        self.draft.refresh_from_db()
        returned = self.draft.last_return()
        self.assertEqual(returned.history_user, self.leader)
        when = timezone.localtime(returned.history_date).strftime("%Y-%m-%d %H:%M")
        line = f"{self.leader} 于 {when} 退回"
        services.minutes_update(
            minutes=self.draft,
            by=self.office,
            title=self.draft.title,
            narrative="补充了时限。",
            decisions=[DecisionInput(text="第一项，6月底前完成。")],
            edit_version=self.draft.edit_version,
        )
        self.assertContains(
            self.get_as(self.office, self.draft.get_absolute_url()), line
        )
        edit = reverse("meetings:minutes_edit", args=[self.draft.pk])
        self.assertContains(self.get_as(self.office, edit), line)
        # Never returned: nothing to say.
        self.assertIsNone(self.issued.last_return())

    def decision_data(self, items, *, initial=0):
        data = {
            "dec-TOTAL_FORMS": str(len(items)),
            "dec-INITIAL_FORMS": str(initial),
            "dec-MIN_NUM_FORMS": "0",
            "dec-MAX_NUM_FORMS": "1000",
        }
        for i, item in enumerate(items):
            for key, value in item.items():
                data[f"dec-{i}-{key}"] = value
        return data

    def test_create_minutes_with_decided_matters(self):
        m = f.meeting(self.office, units=[self.unit_a])
        url = reverse("meetings:minutes_create", args=[m.pk])
        self.assertStatus(self.liaison_a, url, 403)
        self.assertStatus(self.liaison_b, url, 404)
        self.assertStatus(self.leader, url, 403)
        data = {
            "title": "专题会议纪要",
            "narrative": "会议研究了知识产权保护工作。",
            **self.decision_data(
                [
                    {"text": "第一项", "units_text": "司法局、区财政局", "ORDER": "2"},
                    {"text": "第二项", "units_text": "", "ORDER": "1"},
                    {"text": "", "units_text": "", "ORDER": ""},
                ]
            ),
        }
        bad = {**data, "dec-0-units_text": "不存在的局"}
        r = self.post_as(self.office, url, bad)
        self.assertEqual(
            list(r.context["formset"].non_form_errors()),
            [
                "议定事项第1行，建议承办单位：没有找到单位“不存在的局”，"
                "请核对单位名称（如：区司法局）。"
            ],
        )
        self.assertFalse(m.minutes.exists())
        r = self.post_as(self.office, url, data)
        minutes = m.minutes.get()
        self.assertRedirects(r, minutes.get_absolute_url())
        decisions = list(minutes.decisions.order_by("number"))
        self.assertEqual([d.text for d in decisions], ["第二项", "第一项"])
        self.assertEqual(
            list(decisions[1].suggested_units.all()), [self.unit_a, self.unit_b]
        )

    def test_stale_edit_gives_text_back(self):
        url = reverse("meetings:minutes_edit", args=[self.draft.pk])
        self.assertStatus(self.liaison_a, url, 404)
        self.assertStatus(self.leader, url, 403)
        opened = self.draft.edit_version
        d = list(self.draft.decisions.order_by("number"))
        items = [
            {"id": x.pk, "text": x.text, "units_text": "", "ORDER": str(x.number)}
            for x in d
        ]
        first = {
            "title": "同事先保存的标题",
            "narrative": "同事的正文",
            "edit_version": str(opened),
            **self.decision_data(items, initial=len(items)),
        }
        self.post_as(self.office, url, first)
        mine = {**first, "title": "我的标题", "narrative": "我写了很久的正文"}
        r = self.post_as(self.office, url, mine)
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "纪要已被他人修改")
        self.assertContains(r, "我写了很久的正文")
        self.assertContains(r, "同事的正文")  # the current saved text, to compare
        self.draft.refresh_from_db()
        self.assertEqual(self.draft.title, "同事先保存的标题")
        # A deliberate second save (now bound to the current version) goes through.
        self.assertContains(r, f'name="edit_version" value="{self.draft.edit_version}"')
        mine["edit_version"] = str(self.draft.edit_version)
        self.post_as(self.office, url, mine)
        self.draft.refresh_from_db()
        self.assertEqual(self.draft.narrative, "我写了很久的正文")

    def test_issued_minutes_cannot_be_edited(self):
        r = self.get_as(
            self.office, reverse("meetings:minutes_edit", args=[self.issued.pk])
        )
        self.assertRedirects(r, self.issued.get_absolute_url())

    def test_correction_through_pages(self):
        url = reverse("meetings:minutes_correct", args=[self.issued.pk])
        self.assertStatus(self.liaison_a, url, 403)
        self.assertStatus(self.liaison_b, url, 404)
        self.assertStatus(self.leader, url, 403)
        r = self.post_as(self.office, url, {"reason": ""})
        self.assertEqual(r.status_code, 200)
        self.assertEqual(self.special.minutes.count(), 1)
        r = self.post_as(self.office, url, {"reason": "单位名称有误"})
        new = self.special.minutes.get(version=2)
        self.assertRedirects(r, reverse("meetings:minutes_edit", args=[new.pk]))
        old = self.get_as(self.office, self.issued.get_absolute_url())
        self.assertContains(old, "本版本已被更正")
        self.assertContains(old, new.get_absolute_url())
        # The unit still reads the old issued version; the new draft is hidden from it.
        r = self.get_as(self.liaison_a, self.issued.get_absolute_url())
        self.assertEqual(r.status_code, 200)
        self.assertNotContains(r, new.get_absolute_url())
        # A second correction of the same version: sent to the one under way.
        r = self.get_as(self.office, url, follow=True)
        self.assertRedirects(r, new.get_absolute_url())
        self.assertContains(r, "该版本已有更正版本（第2版），请在最新版本上操作。")
        r = self.post_as(self.office, url, {"reason": "再次更正"})
        self.assertRedirects(r, new.get_absolute_url())
        self.assertEqual(self.special.minutes.count(), 2)
        # A draft is edited, not corrected.
        draft_url = reverse("meetings:minutes_correct", args=[new.pk])
        r = self.get_as(self.office, draft_url, follow=True)
        self.assertRedirects(r, new.get_absolute_url())
        self.assertContains(r, "纪要尚未印发，请直接修改草稿。")

    def test_decision_tasks_partial_included(self):
        r = self.get_as(self.office, self.issued.get_absolute_url())
        self.assertContains(r, "转为任务")
        d = self.issued.decisions.first()
        self.assertContains(r, reverse("tasks:create_from_decision", args=[d.pk]))
        self.assertNotContains(
            self.get_as(self.liaison_a, self.issued.get_absolute_url()), "转为任务"
        )


class CalendarTests(MeetingsViewTestCase):
    def events(self, user) -> dict[str, object]:
        r = self.get_as(user, reverse("meetings:calendar"))
        self.assertEqual(r.status_code, 200)
        self.assertTrue(r["Content-Type"].startswith("text/calendar"))
        cal = Calendar.from_ical(r.content)
        return {str(e["SUMMARY"]): e for e in cal.walk("VEVENT")}

    def test_feed_per_person(self):
        office = self.events(self.office)
        self.assertEqual(len(office), 3)
        event = next(
            e for s, e in office.items() if s.startswith("知识产权保护专题会议")
        )
        self.assertTrue(str(event["UID"]).startswith(f"meeting-{self.special.pk}@"))
        self.assertEqual(str(event["LOCATION"]), "区政府第三会议室")
        self.assertTrue(str(event["URL"]).endswith(self.special.get_absolute_url()))
        start = event["DTSTART"].dt
        self.assertEqual(str(start.tzinfo), "Asia/Shanghai")
        self.assertEqual(start, self.special.starts_at.replace(microsecond=0))
        self.assertGreater(event["DTEND"].dt, start)
        self.assertEqual(len(self.events(self.liaison_a)), 3)
        unit_b = self.events(self.liaison_b)
        self.assertEqual([s.split("（")[0] for s in unit_b], ["全体会议"])
        self.assertEqual(self.events(self.nobody), {})
        self.assertLoginRedirect(self.get_as(None, reverse("meetings:calendar")))

    def test_planned_is_confirmed_and_cancelled_says_so(self):
        f.meeting(self.office, units=[self.unit_a], held=False, days=5, title="将开会")
        cancelled = f.meeting(
            self.office, units=[self.unit_a], held=False, days=6, title="取消会"
        )
        services.meeting_cancel(meeting=cancelled, by=self.office)
        events = self.events(self.office)
        self.assertEqual(str(events["将开会（专题会议）"]["STATUS"]), "CONFIRMED")
        self.assertEqual(
            str(events["【已取消】取消会（专题会议）"]["STATUS"]), "CANCELLED"
        )


class HomeTests(MeetingsViewTestCase):
    def test_plenary_warning_for_overseers(self):
        services.meeting_cancel(meeting=self.plenary, by=self.office)
        r = self.get_as(self.office, reverse("home"))
        self.assertContains(r, "年度尚未召开或安排领导小组全体会议")
        r = self.get_as(self.leader, reverse("home"))
        self.assertContains(r, "年度尚未召开或安排领导小组全体会议")
        r = self.get_as(self.liaison_a, reverse("home"))
        self.assertNotContains(r, "年度尚未召开或安排领导小组全体会议")

    def test_plenary_planned_note(self):
        if self.plenary.year != timezone.localdate().year:
            self.skipTest("the plenary falls in next year in the last days of December")
        r = self.get_as(self.office, reverse("home"))
        self.assertContains(r, "年度全体会议已计划于")

    def test_home_lists_issued_minutes_for_unit(self):
        r = self.get_as(self.liaison_a, reverse("home"))
        self.assertContains(r, self.issued.get_absolute_url())
        r = self.get_as(self.liaison_b, reverse("home"))
        self.assertNotContains(r, self.issued.get_absolute_url())
        self.assertContains(r, "全体会议")

    def test_nav_links(self):
        r = self.get_as(self.liaison_a, reverse("home"))
        self.assertContains(r, f'href="{reverse("meetings:list")}"')
        self.assertContains(r, f'href="{reverse("meetings:topics")}"')
