"""Every annual page's permission matrix, and the journeys through the pages:
a unit sees only its own submission until the pack is issued to the group."""

from __future__ import annotations

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from annual import services, services_pack
from annual.models import Pack, Round, Submission
from tests.base import PortalTestCase
from tests.tasks.factories import pdf

from .factories import fill, open_round, plenary, sub, submit

S = Submission.Status


class RoundPageTests(PortalTestCase):
    def setUp(self):
        self.round = open_round(self.office, meeting=plenary(self.office))

    def test_list_and_round_page_matrix(self):
        for url in (reverse("annual:rounds"), self.round.get_absolute_url()):
            with self.subTest(url):
                self.assertLoginRedirect(self.get_as(None, url))
                self.assertEqual(self.get_as(self.nobody, url).status_code, 404)
                for user in (self.office, self.leader, self.liaison_a, self.head_a):
                    self.assertEqual(self.get_as(user, url).status_code, 200)

    def test_a_unit_sees_its_own_line_only(self):
        page = self.get_as(self.liaison_a, self.round.get_absolute_url())
        self.assertContains(page, "本单位报送材料")
        self.assertContains(page, sub(self.round, self.unit_a).get_absolute_url())
        self.assertNotContains(page, sub(self.round, self.unit_b).get_absolute_url())
        office = self.get_as(self.office, self.round.get_absolute_url())
        self.assertContains(office, sub(self.round, self.unit_b).get_absolute_url())
        self.assertContains(office, "提醒全部未报送单位")
        leader = self.get_as(self.leader, self.round.get_absolute_url())
        self.assertNotContains(leader, "提醒全部未报送单位")

    def test_only_the_office_opens_a_round(self):
        url = reverse("annual:round_create")
        self.assertEqual(self.get_as(self.leader, url).status_code, 403)
        self.assertEqual(self.get_as(self.liaison_a, url).status_code, 403)
        self.assertEqual(self.get_as(self.office, url).status_code, 200)
        data = {
            "year": 2027,
            "title": "",
            "deadline": "2027-12-20",
            "requires_head_approval": "on",
            "instructions": "",
            "meeting": "",
            "sections-TOTAL_FORMS": "3",
            "sections-INITIAL_FORMS": "3",
            "sections-0-title": "本年度工作开展情况及成效",
            "sections-0-kind": "text",
            "sections-1-title": "下年度工作打算",
            "sections-1-kind": "plan",
            "sections-2-title": "",
            "sections-2-kind": "text",
        }
        response = self.post_as(self.office, url, data)
        created = Round.objects.get(year=2027)
        self.assertRedirects(response, created.get_absolute_url())
        self.assertEqual(len(created.sections), 2)
        self.assertTrue(created.requires_head_approval)
        # the same year again: a message naming the field, nothing written
        again = self.post_as(self.office, url, data)
        self.assertContains(again, "2027年度的报送已发起")
        self.assertEqual(Round.objects.filter(year=2027).count(), 1)

    def test_settings_and_remind_are_the_offices(self):
        edit = reverse("annual:round_edit", args=[self.round.pk])
        remind = reverse("annual:round_remind", args=[self.round.pk])
        self.assertEqual(self.get_as(self.leader, edit).status_code, 403)
        self.assertEqual(self.get_as(self.liaison_a, edit).status_code, 403)
        self.assertEqual(self.get_as(self.office, remind).status_code, 405)
        self.assertEqual(self.post_as(self.liaison_a, remind).status_code, 403)
        response = self.post_as(self.office, remind, {"unit": self.unit_a.code})
        self.assertRedirects(response, self.round.get_absolute_url())
        self.assertIsNotNone(sub(self.round, self.unit_a).reminded_at)
        self.assertIsNone(sub(self.round, self.unit_b).reminded_at)
        response = self.post_as(
            self.office,
            edit,
            {"deadline": "2026-12-31", "meeting": "", "instructions": "新要求"},
        )
        self.assertRedirects(response, self.round.get_absolute_url())
        self.round.refresh_from_db()
        self.assertEqual(self.round.deadline, date(2026, 12, 31))
        self.assertFalse(self.round.requires_head_approval)


class SubmissionPageTests(PortalTestCase):
    def setUp(self):
        self.round = open_round(self.office, meeting=plenary(self.office))
        self.mine = sub(self.round, self.unit_a)
        self.theirs = sub(self.round, self.unit_b)

    def test_detail_matrix_before_the_pack_is_issued(self):
        submit(self.theirs, self.liaison_b)
        url = self.theirs.get_absolute_url()
        self.assertLoginRedirect(self.get_as(None, url))
        for user in (self.liaison_b, self.office, self.leader):
            self.assertEqual(self.get_as(user, url).status_code, 200)
        for user in (self.liaison_a, self.head_a, self.outsider, self.nobody):
            self.assertEqual(self.get_as(user, url).status_code, 404)

    def test_after_the_pack_is_issued_units_read_every_submitted_one(self):
        submit(self.theirs, self.liaison_b)
        pack = services_pack.pack_create(round_=self.round, by=self.office)
        self.assertEqual(
            self.get_as(self.liaison_a, pack.get_absolute_url()).status_code, 404
        )
        services_pack.pack_issue(pack=pack, by=self.office)
        self.assertEqual(
            self.get_as(self.liaison_a, self.theirs.get_absolute_url()).status_code,
            200,
        )
        self.assertEqual(
            self.get_as(self.liaison_a, pack.get_absolute_url()).status_code, 200
        )
        # a unit still drafting stays its own
        drafting = sub(self.round, self.unit_out)
        self.assertEqual(
            self.get_as(self.liaison_a, drafting.get_absolute_url()).status_code, 404
        )
        page = self.get_as(self.liaison_a, self.round.get_absolute_url())
        self.assertContains(page, self.theirs.get_absolute_url())
        self.assertNotContains(page, drafting.get_absolute_url())
        # and nobody changes someone else's
        edit = reverse("annual:submission_edit", args=[self.theirs.pk])
        self.assertEqual(self.get_as(self.liaison_a, edit).status_code, 403)

    def test_edit_matrix(self):
        url = reverse("annual:submission_edit", args=[self.mine.pk])
        self.assertLoginRedirect(self.get_as(None, url))
        self.assertEqual(self.get_as(self.liaison_a, url).status_code, 200)
        self.assertEqual(self.get_as(self.head_a, url).status_code, 200)
        self.assertEqual(self.get_as(self.liaison_b, url).status_code, 404)
        self.assertEqual(self.get_as(self.office, url).status_code, 403)
        self.assertEqual(self.get_as(self.leader, url).status_code, 403)
        submit_url = reverse("annual:submission_submit", args=[self.mine.pk])
        self.assertEqual(self.get_as(self.liaison_a, submit_url).status_code, 405)
        self.assertEqual(self.post_as(self.office, submit_url).status_code, 403)

    def _form(self, submission: Submission, **extra) -> dict:
        data = {
            "version": submission.edit_version,
            "text_s1": "开展宣传活动12场。",
            "text_s3": "人员不足。",
            "plan-TOTAL_FORMS": "2",
            "plan-INITIAL_FORMS": "0",
            "plan-0-text": "开展法治宣传进企业活动",
            "plan-0-due_on": "2027-06-30",
            "plan-1-text": "",
            "plan-1-due_on": "",
            "coord-TOTAL_FORMS": "1",
            "coord-INITIAL_FORMS": "0",
            "coord-0-title": "",
            "coord-0-description": "",
        }
        for key, value in submission.duty_notes.items():
            data[f"duty_{key}"] = value or "按职责开展。"
        data.update(extra)
        return data

    def test_a_liaison_saves_attaches_and_submits(self):
        url = reverse("annual:submission_edit", args=[self.mine.pk])
        data = self._form(self.mine, files=[pdf("总结附件.pdf")])
        response = self.post_as(self.liaison_a, url, data)
        self.assertRedirects(response, url)
        self.mine.refresh_from_db()
        self.assertEqual(self.mine.texts["s1"], "开展宣传活动12场。")
        self.assertEqual(self.mine.plan_items.get().text, "开展法治宣传进企业活动")
        attachment = self.mine.attachments.get()
        self.assertEqual(attachment.original_name, "总结附件.pdf")
        # the attachment reads for the unit and the office, not another unit
        self.assertEqual(
            self.get_as(self.office, attachment.get_absolute_url()).status_code, 200
        )
        self.assertEqual(
            self.get_as(self.liaison_b, attachment.get_absolute_url()).status_code,
            404,
        )
        response = self.post_as(
            self.liaison_a,
            reverse("annual:submission_submit", args=[self.mine.pk]),
            {"version": self.mine.edit_version},
        )
        self.assertRedirects(response, self.mine.get_absolute_url())
        self.mine.refresh_from_db()
        self.assertEqual(self.mine.status, S.SUBMITTED)

    def test_a_refused_file_is_named_and_nothing_is_saved(self):
        url = reverse("annual:submission_edit", args=[self.mine.pk])
        bad = SimpleUploadedFile(
            "病毒.pdf", b"MZ\x90\x00", content_type="application/pdf"
        )
        response = self.post_as(self.liaison_a, url, self._form(self.mine, files=[bad]))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "“病毒.pdf”的内容与扩展名 .pdf 不符")
        self.mine.refresh_from_db()
        self.assertEqual(self.mine.edit_version, 1)

    def test_a_deadline_outside_next_year_is_named(self):
        url = reverse("annual:submission_edit", args=[self.mine.pk])
        response = self.post_as(
            self.liaison_a,
            url,
            self._form(self.mine, **{"plan-0-due_on": "2026-06-30"}),
        )
        self.assertContains(response, "完成时限应在2027年内")

    def test_a_second_editor_is_refused_and_keeps_their_input(self):
        url = reverse("annual:submission_edit", args=[self.mine.pk])
        stale = self._form(self.mine, text_s1="蒋平写的总结")
        fill(self.mine, self.liaison_a, text="沈玉兰先保存的总结")
        response = self.post_as(self.head_a, url, stale)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "他人已保存了新的内容")
        self.assertContains(response, "蒋平写的总结")
        self.mine.refresh_from_db()
        self.assertEqual(self.mine.texts["s1"], "沈玉兰先保存的总结")

    def test_save_and_submit_goes_to_the_head_when_required(self):
        self.round.requires_head_approval = True
        self.round.save()
        url = reverse("annual:submission_edit", args=[self.mine.pk])
        response = self.post_as(
            self.liaison_a, url, self._form(self.mine, then="submit")
        )
        self.assertRedirects(response, self.mine.get_absolute_url())
        self.mine.refresh_from_db()
        self.assertEqual(self.mine.status, S.PENDING_HEAD)
        approve = reverse("annual:submission_approve", args=[self.mine.pk])
        self.assertEqual(self.post_as(self.liaison_a, approve).status_code, 403)
        self.assertEqual(self.post_as(self.office, approve).status_code, 403)
        self.assertEqual(self.post_as(self.liaison_b, approve).status_code, 404)
        self.assertRedirects(
            self.post_as(self.head_a, approve), self.mine.get_absolute_url()
        )
        self.mine.refresh_from_db()
        self.assertEqual(self.mine.status, S.SUBMITTED)

    def test_return_matrix(self):
        submit(self.mine, self.liaison_a)
        url = reverse("annual:submission_return", args=[self.mine.pk])
        self.assertEqual(self.get_as(self.liaison_a, url).status_code, 403)
        self.assertEqual(self.get_as(self.leader, url).status_code, 403)
        self.assertEqual(self.get_as(self.liaison_b, url).status_code, 404)
        response = self.post_as(self.office, url, {"reason": ""})
        self.assertContains(response, "这个字段是必填项", status_code=200)
        response = self.post_as(self.office, url, {"reason": "请补充数据"})
        self.assertRedirects(response, self.mine.get_absolute_url())
        self.mine.refresh_from_db()
        self.assertEqual(self.mine.status, S.RETURNED)
        page = self.get_as(self.liaison_a, self.mine.get_absolute_url())
        self.assertContains(page, "请补充数据")

    def test_coordination_to_topic_is_the_offices(self):
        done = submit(self.mine, self.liaison_a, coordination=1)
        item = done.coordination_items.get()
        url = reverse("annual:coordination_topic", args=[item.pk])
        self.assertEqual(self.post_as(self.liaison_a, url).status_code, 403)
        self.assertEqual(self.post_as(self.leader, url).status_code, 403)
        self.assertEqual(self.get_as(self.office, url).status_code, 405)
        response = self.post_as(self.office, url, {"next": "round"})
        self.assertRedirects(response, self.round.get_absolute_url())
        item.refresh_from_db()
        self.assertIsNotNone(item.topic)
        page = self.get_as(self.office, self.round.get_absolute_url())
        self.assertContains(page, item.topic.get_absolute_url())


class PackPageTests(PortalTestCase):
    def setUp(self):
        self.round = open_round(self.office, meeting=plenary(self.office))
        submit(sub(self.round, self.unit_a), self.liaison_a)

    def test_pack_matrix(self):
        create = reverse("annual:pack_create", args=[self.round.pk])
        self.assertEqual(self.post_as(self.leader, create).status_code, 403)
        self.assertEqual(self.post_as(self.liaison_a, create).status_code, 403)
        response = self.post_as(self.office, create)
        pack = Pack.objects.get(round=self.round)
        self.assertRedirects(response, pack.get_absolute_url())
        url = pack.get_absolute_url()
        self.assertLoginRedirect(self.get_as(None, url))
        self.assertEqual(self.get_as(self.leader, url).status_code, 200)
        self.assertEqual(self.get_as(self.liaison_a, url).status_code, 404)
        self.assertEqual(
            self.get_as(
                self.liaison_a, reverse("annual:pack_pdf", args=[self.round.pk])
            ).status_code,
            404,
        )
        issue = reverse("annual:pack_issue", args=[self.round.pk])
        self.assertEqual(self.post_as(self.leader, issue).status_code, 403)
        self.assertEqual(self.get_as(self.office, issue).status_code, 405)
        self.assertEqual(self.post_as(self.leader, url, {}).status_code, 403)

    def test_the_office_edits_the_report_and_a_stale_edit_keeps_the_text(self):
        pack = services_pack.pack_create(round_=self.round, by=self.office)
        page = self.get_as(self.office, pack.get_absolute_url())
        self.assertContains(page, "2026年工作开展情况")
        url = pack.get_absolute_url()
        response = self.post_as(
            self.office,
            url,
            {
                "title": "工作报告",
                "text": "一、总体情况\n\n全年工作顺利。",
                "version": 1,
            },
        )
        self.assertRedirects(response, url)
        pack.refresh_from_db()
        self.assertEqual(pack.office_report_title, "工作报告")
        stale = self.post_as(
            self.office, url, {"title": "旧标题", "text": "我的改稿", "version": 1}
        )
        self.assertContains(stale, "他人已保存了新的内容")
        self.assertContains(stale, "我的改稿")
        services_pack.pack_issue(pack=pack, by=self.office)
        issued = self.get_as(self.office, url)
        self.assertNotContains(issued, "保存工作报告")
        self.assertEqual(self.post_as(self.office, url, {}).status_code, 403)
        # once issued, the office no longer returns submissions
        with self.assertRaises(services.ValidationError):
            services.submission_return(
                submission=sub(self.round, self.unit_a), by=self.office, reason="晚了"
            )


class HomeCardTests(PortalTestCase):
    def test_the_unit_home_shows_the_round_and_its_state(self):
        round_ = open_round(self.office)
        page = self.get_as(self.liaison_a, "/")
        self.assertContains(page, round_.title)
        self.assertContains(
            page, reverse("annual:submission_edit", args=[sub(round_, self.unit_a).pk])
        )
        done = submit(sub(round_, self.unit_a), self.liaison_a)
        services.submission_return(submission=done, by=self.office, reason="请补充数据")
        page = self.get_as(self.head_a, "/")
        self.assertContains(page, "已退回")
        self.assertContains(page, "退回理由：请补充数据")
