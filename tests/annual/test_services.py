"""The round's workflows: open, save, submit (with the head's approval), return,
remind, and a coordination item made a topic."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError

from annual import services
from annual.models import Submission, SubmissionEvent
from duties.models import DutyClause
from meetings.models import Topic
from members.models import Unit
from notices.models import Notification
from tests.base import PortalTestCase
from tests.tasks.factories import make_task

from .factories import fill, open_round, plenary, sub, submit

S = Submission.Status


class RoundOpenTests(PortalTestCase):
    def test_every_member_unit_gets_a_prefilled_submission_and_a_notice(self):
        clause = DutyClause.objects.filter(unit=self.unit_a).first()
        task = make_task(by=self.office, lead=self.unit_a, title="开展法治宣传")
        task.duties.set([clause])
        round_ = open_round(self.office)
        self.assertEqual(round_.submissions.count(), Unit.objects.members().count())
        mine = sub(round_, self.unit_a)
        self.assertEqual(mine.status, S.DRAFT)
        self.assertIn("开展法治宣传", mine.duty_notes[str(clause.pk)])
        self.assertIn(task.code, mine.duty_notes[str(clause.pk)])
        self.assertTrue(
            Notification.objects.filter(
                recipient=self.liaison_a, url=round_.get_absolute_url()
            ).exists()
        )

    def test_a_year_has_one_round(self):
        open_round(self.office)
        with self.assertRaises(ValidationError) as caught:
            open_round(self.office)
        self.assertIn("已发起", str(caught.exception))

    def test_sections_need_a_title_and_one_of_each_structured_kind(self):
        with self.assertRaises(ValidationError):
            services.check_sections([{"title": " ", "kind": "text"}])
        with self.assertRaises(ValidationError) as caught:
            services.check_sections(
                [{"title": "打算", "kind": "plan"}, {"title": "再打算", "kind": "plan"}]
            )
        self.assertIn("只能有一节", str(caught.exception))


class SubmissionTests(PortalTestCase):
    def setUp(self):
        self.round = open_round(self.office, requires_head_approval=True)
        self.mine = sub(self.round, self.unit_a)

    def test_save_keeps_items_and_a_stale_save_is_refused(self):
        saved = fill(self.mine, self.liaison_a, plan=3)
        self.assertEqual(saved.plan_items.count(), 3)
        self.assertEqual(saved.edit_version, 2)
        with self.assertRaises(services.StaleEdit):
            services.submission_save(
                submission=saved,
                by=self.head_a,
                version=1,
                texts={"s1": "旧版本"},
                duty_notes={},
                plan_items=[],
                coordination_items=[],
            )
        saved.refresh_from_db()
        self.assertNotEqual(saved.texts["s1"], "旧版本")

    def test_another_units_account_cannot_save(self):
        with self.assertRaises(PermissionDenied):
            fill(self.mine, self.liaison_b)

    def test_an_incomplete_submission_cannot_be_submitted(self):
        with self.assertRaises(ValidationError) as caught:
            services.submission_submit(
                submission=self.mine, by=self.liaison_a, version=1
            )
        self.assertIn("本年度工作开展情况及成效", str(caught.exception))

    def test_the_head_approves_before_the_office_sees_it_submitted(self):
        pending = submit(self.mine, self.liaison_a)
        self.assertEqual(pending.status, S.PENDING_HEAD)
        self.assertTrue(
            Notification.objects.filter(
                recipient=self.head_a, url=pending.get_absolute_url()
            ).exists()
        )
        with self.assertRaises(PermissionDenied):
            services.submission_approve(submission=pending, by=self.liaison_a)
        done = services.submission_approve(submission=pending, by=self.head_a)
        self.assertEqual(done.status, S.SUBMITTED)
        self.assertEqual(done.head_approved_by, self.head_a)
        self.assertTrue(
            Notification.objects.filter(
                recipient=self.office, url=done.get_absolute_url()
            ).exists()
        )

    def test_the_office_returns_with_a_reason_and_the_unit_edits_again(self):
        done = services.submission_approve(
            submission=submit(self.mine, self.liaison_a), by=self.head_a
        )
        with self.assertRaises(ValidationError):
            services.submission_return(submission=done, by=self.office, reason=" ")
        back = services.submission_return(
            submission=done, by=self.office, reason="请补充数据"
        )
        self.assertEqual(back.status, S.RETURNED)
        self.assertTrue(back.is_editable)
        self.assertTrue(
            back.events.filter(
                kind=SubmissionEvent.Kind.RETURNED, note="请补充数据"
            ).exists()
        )
        self.assertTrue(
            Notification.objects.filter(
                recipient=self.liaison_a, text__contains="请补充数据"
            ).exists()
        )

    def test_remind_tells_only_the_units_that_have_not_submitted(self):
        services.submission_approve(
            submission=submit(self.mine, self.liaison_a), by=self.head_a
        )
        Notification.objects.all().delete()
        n = services.round_remind(round_=self.round, by=self.office)
        self.assertEqual(n, Unit.objects.members().count() - 1)
        self.assertFalse(Notification.objects.filter(recipient=self.liaison_a))
        self.assertTrue(Notification.objects.filter(recipient=self.liaison_b))
        self.assertIsNotNone(sub(self.round, self.unit_b).reminded_at)

    def test_the_light_follows_the_deadline_in_working_days(self):
        self.assertEqual(self.mine.light_on(date(2026, 1, 5)), "green")
        self.assertEqual(self.mine.light_on(self.round.deadline), "yellow")
        self.assertEqual(
            self.mine.light_on(date.fromordinal(self.round.deadline.toordinal() + 1)),
            "red",
        )


class CoordinationTopicTests(PortalTestCase):
    def test_a_coordination_item_becomes_a_topic_on_the_meeting_agenda(self):
        meeting = plenary(self.office)
        round_ = open_round(self.office, meeting=meeting)
        done = submit(sub(round_, self.unit_a), self.liaison_a, coordination=1)
        item = done.coordination_items.get()
        topic = services.coordination_to_topic(item=item, by=self.office)
        self.assertEqual(topic.meeting, meeting)
        self.assertEqual(topic.status, Topic.Status.SCHEDULED)
        self.assertEqual(topic.raised_by_unit, self.unit_a)
        item.refresh_from_db()
        self.assertEqual(item.topic, topic)
        with self.assertRaises(ValidationError):
            services.coordination_to_topic(item=item, by=self.office)

    def test_without_a_planned_meeting_it_is_refused(self):
        round_ = open_round(self.office)
        done = submit(sub(round_, self.unit_a), self.liaison_a, coordination=1)
        with self.assertRaises(ValidationError) as caught:
            services.coordination_to_topic(
                item=done.coordination_items.get(), by=self.office
            )
        self.assertIn("会议", str(caught.exception))


class DigestTests(PortalTestCase):
    def test_units_hear_near_the_deadline_and_heads_about_approvals(self):
        from annual.digest import round_digest

        round_ = open_round(self.office, requires_head_approval=True)
        submit(sub(round_, self.unit_b), self.liaison_b)  # waits for its head
        far = date.fromordinal(round_.deadline.toordinal() - 30)
        self.assertEqual(list(round_digest(far)), [])
        parts = dict(round_digest(round_.deadline))
        self.assertIn(self.liaison_a, parts)
        self.assertEqual(parts[self.liaison_a].counts[1][1], 1)  # due soon
        self.assertIn(round_.title, parts[self.liaison_a].body)
        self.assertNotIn(self.liaison_b, parts)  # submitted to its head
        late = date.fromordinal(round_.deadline.toordinal() + 1)
        self.assertEqual(dict(round_digest(late))[self.head_a].counts[0][1], 1)
