"""Task workflows: assignment, grants, lifecycle, extensions, notifications."""

from __future__ import annotations

from datetime import timedelta

from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from meetings.models import Minutes
from members.models import Unit
from notices.models import Notification
from tasks import extensions, services
from tasks.models import CoUnit, Extension, Task, TaskEvent
from tests.base import PortalTestCase

from .factories import issued_decisions, make_task, work_plan


class AssignTests(PortalTestCase):
    def test_decision_becomes_task_with_code_grants_and_notice(self):
        (decision,) = issued_decisions(self.office, ["开展知识产权宣传周活动"])
        with self.captureOnCommitCallbacks(execute=True):
            task = services.task_assign(
                decision=decision,
                lead=self.unit_a,
                co_units=[self.unit_b],
                due=timezone.localdate() + timedelta(days=30),
                duties=[],
                title="宣传周",
                description=decision.text,
                by=self.office,
            )
        self.assertEqual(task.code, decision.code)
        self.assertTrue(task.code.startswith("2026-专题"))
        self.assertEqual(task.status, Task.Status.ASSIGNED)
        self.assertEqual(task.original_due_on, task.due_on)
        self.assertIsNotNone(task.last_activity_at)
        self.assertTrue(self.liaison_a.has_perm("tasks.lead_task", task))
        self.assertTrue(self.liaison_b.has_perm("tasks.report_task", task))
        self.assertFalse(self.liaison_b.has_perm("tasks.lead_task", task))
        self.assertFalse(self.outsider.has_perm("tasks.view_task", task))
        self.assertTrue(
            TaskEvent.objects.filter(task=task, kind=TaskEvent.Kind.ASSIGNED).exists()
        )
        recipients = {m.to[0] for m in mail.outbox}
        self.assertIn(self.liaison_a.email, recipients)
        self.assertIn(self.liaison_b.email, recipients)
        self.assertIn(self.head_a.email, recipients)
        self.assertNotIn(self.outsider.email, recipients)
        self.assertTrue(Notification.objects.filter(recipient=self.liaison_b).exists())
        # A second task from the same matter gets the next suffix.
        second = make_task(by=self.office, lead=self.unit_b, decision=decision)
        self.assertEqual(second.code, decision.code + "-2")
        third = make_task(by=self.office, lead=self.unit_b, decision=decision)
        self.assertEqual(third.code, decision.code + "-3")

    def test_decision_of_unissued_minutes_is_refused(self):
        (decision,) = issued_decisions(
            self.office, ["草稿中的事项"], status=Minutes.Status.APPROVED
        )
        with self.assertRaises(ValidationError):
            make_task(by=self.office, lead=self.unit_a, decision=decision)
        self.assertFalse(Task.objects.filter(decision=decision).exists())

    def test_work_plan_task_without_meeting(self):
        plan = work_plan(self.office)
        task = make_task(by=self.office, lead=self.unit_a, plan=plan)
        self.assertEqual(task.code, "2026-计划-1")
        self.assertIsNone(task.decision)

    def test_duty_of_other_unit_refused(self):
        from duties.models import DutyClause

        clause = DutyClause.objects.filter(unit=self.unit_out).first()
        with self.assertRaises(ValidationError):
            services.task_assign(
                plan=work_plan(self.office),
                lead=self.unit_a,
                co_units=[],
                due=timezone.localdate(),
                duties=[clause],
                title="t",
                description="d",
                by=self.office,
            )

    def test_reassign_moves_grants(self):
        task = make_task(by=self.office, lead=self.unit_a, co=[self.unit_b])
        task = services.task_reassign(
            task=task,
            lead=self.unit_out,
            co_units=[self.unit_a],
            due=task.due_on + timedelta(days=5),
            by=self.office,
            version=task.edit_version,
        )
        self.assertTrue(self.outsider.has_perm("tasks.lead_task", task))
        self.assertFalse(self.liaison_a.has_perm("tasks.lead_task", task))
        self.assertTrue(self.liaison_a.has_perm("tasks.report_task", task))
        self.assertFalse(self.liaison_b.has_perm("tasks.view_task", task))
        self.assertEqual(task.original_due_on, task.due_on)
        event = TaskEvent.objects.get(task=task, kind=TaskEvent.Kind.REASSIGNED)
        self.assertIn("区司法局 → 区林业局", event.note)


class LifecycleTests(PortalTestCase):
    def setUp(self):
        self.task = make_task(by=self.office, lead=self.unit_a, co=[self.unit_b])

    def refresh(self):
        self.task.refresh_from_db()
        return self.task

    def test_full_cycle_with_return(self):
        services.task_sign(task=self.task, by=self.liaison_a)
        self.assertEqual(self.refresh().status, Task.Status.SIGNED)
        self.assertEqual(self.task.signed_by, self.liaison_a)
        # co-unit acknowledgment does not change the lead's status
        services.task_acknowledge(task=self.task, by=self.liaison_b)
        self.assertEqual(self.refresh().status, Task.Status.SIGNED)
        self.assertIsNotNone(CoUnit.objects.get(task=self.task).acknowledged_at)

        services.progress_report_file(
            task=self.task, by=self.liaison_a, text="方案已定", percent=60
        )
        self.assertEqual(self.refresh().status, Task.Status.IN_PROGRESS)
        self.assertEqual(self.task.progress, 60)
        # Co-unit has not reported: closure refused.
        with self.assertRaisesMessage(ValidationError, "区财政局"):
            services.closure_request(task=self.task, by=self.liaison_a)
        services.progress_report_file(
            task=self.task, by=self.liaison_b, text="资金已拨付", percent=100
        )
        self.assertEqual(self.refresh().progress, 60)  # co-unit's part only
        # 申请销号 says the task is done: at 60 % it is refused, nothing changes.
        with self.assertRaisesMessage(
            ValidationError,
            "总体进度为 60%，请先报送办结情况（完成进度 100%）再申请销号。",
        ):
            services.closure_request(task=self.task, by=self.liaison_a)
        self.assertEqual(self.refresh().status, Task.Status.IN_PROGRESS)
        services.progress_report_file(
            task=self.task, by=self.liaison_a, text="全部完成", percent=100
        )
        services.closure_request(task=self.task, by=self.liaison_a)
        self.assertEqual(self.refresh().status, Task.Status.CLOSURE_REQUESTED)
        with self.captureOnCommitCallbacks(execute=True):
            services.task_return(task=self.task, by=self.office, reason="材料不全")
        self.assertEqual(self.refresh().status, Task.Status.RETURNED)
        self.assertEqual(self.task.return_reason, "材料不全")
        self.assertTrue(any("退回" in m.subject for m in mail.outbox))
        with self.assertRaises(ValidationError):
            services.task_close(task=self.task, by=self.office)
        services.closure_request(task=self.task, by=self.liaison_a)
        services.task_close(task=self.refresh(), by=self.office)
        self.assertEqual(self.refresh().status, Task.Status.CLOSED)
        self.assertEqual(self.task.closed_by, self.office)
        kinds = list(
            TaskEvent.objects.filter(task=self.task).values_list("kind", flat=True)
        )
        self.assertEqual(
            kinds,
            [
                "assigned",
                "signed",
                "acknowledged",
                "reported",
                "reported",
                "reported",
                "closure_requested",
                "returned",
                "closure_requested",
                "closed",
            ],
        )
        # simple-history kept who changed the status, before and after
        statuses = list(
            self.task.history.order_by("history_date").values_list(
                "status", "history_user__username"
            )
        )
        self.assertIn(("signed", "liaison_a"), statuses)
        self.assertIn(("closed", "office"), statuses)

    def test_report_before_sign_refused_and_co_unit_cannot_close(self):
        with self.assertRaises(ValidationError):
            services.progress_report_file(
                task=self.task, by=self.liaison_a, text="x", percent=5
            )
        services.task_sign(task=self.task, by=self.liaison_a)
        with self.assertRaises(ValidationError):
            services.closure_request(task=self.task, by=self.liaison_b)

    def test_waiver_allows_closure(self):
        services.task_sign(task=self.task, by=self.liaison_a)
        services.progress_report_file(
            task=self.task, by=self.liaison_a, text="完成", percent=100
        )
        services.co_unit_waive(task=self.task, unit=self.unit_b, by=self.office)
        services.closure_request(task=self.task, by=self.liaison_a)
        self.assertEqual(self.refresh().status, Task.Status.CLOSURE_REQUESTED)
        self.assertTrue(
            TaskEvent.objects.filter(task=self.task, kind="waived").exists()
        )

    def test_extension_keeps_every_deadline(self):
        original = self.task.due_on
        first = extensions.extension_request(
            task=self.task,
            by=self.liaison_a,
            reason="协调难度大",
            new_due_on=original + timedelta(days=30),
        )
        with self.assertRaises(ValidationError):  # one pending at a time
            extensions.extension_request(
                task=self.refresh(),
                by=self.liaison_a,
                reason="再延",
                new_due_on=original + timedelta(days=60),
            )
        extensions.extension_decide(extension=first, approve=True, by=self.leader)
        self.assertEqual(self.refresh().due_on, original + timedelta(days=30))
        self.assertEqual(self.task.original_due_on, original)
        with self.assertRaises(ValidationError):  # not later than current
            extensions.extension_request(
                task=self.task,
                by=self.liaison_a,
                reason="x",
                new_due_on=original + timedelta(days=10),
            )
        second = extensions.extension_request(
            task=self.task,
            by=self.liaison_a,
            reason="再延",
            new_due_on=original + timedelta(days=50),
        )
        extensions.extension_decide(
            extension=second, approve=False, by=self.office, note="时限不宜再延"
        )
        self.assertEqual(self.refresh().due_on, original + timedelta(days=30))
        self.assertEqual(
            list(
                Extension.objects.filter(task=self.task)
                .order_by("created_at")
                .values_list("status", flat=True)
            ),
            ["approved", "rejected"],
        )
        with self.assertRaises(ValidationError):  # co-unit may not ask
            extensions.extension_request(
                task=self.task,
                by=self.liaison_b,
                reason="x",
                new_due_on=original + timedelta(days=90),
            )


class ConcurrencyTests(PortalTestCase):
    def test_two_stale_edits_one_wins_other_is_told(self):
        task = make_task(by=self.office, lead=self.unit_a)
        seen = task.edit_version
        services.task_edit(
            task=task,
            title="甲的标题",
            description="甲写的内容",
            duties=[],
            by=self.office,
            version=seen,
        )
        with self.assertRaises(services.StaleEdit) as ctx:
            services.task_edit(
                task=task,
                title="乙的标题",
                description="乙写的内容",
                duties=[],
                by=self.deputy,
                version=seen,
            )
        self.assertIn("已被他人修改", str(ctx.exception.messages[0]))
        task.refresh_from_db()
        self.assertEqual(task.title, "甲的标题")
        self.assertEqual(task.edit_version, seen + 1)

    def test_stale_report_edit(self):
        task = make_task(by=self.office, lead=self.unit_a)
        services.task_sign(task=task, by=self.liaison_a)
        report = services.progress_report_file(
            task=task, by=self.liaison_a, text="初稿", percent=10
        )
        v = report.edit_version
        services.progress_report_edit(
            report=report, by=self.liaison_a, text="联络员改", percent=20, version=v
        )
        with self.assertRaises(services.StaleEdit):
            services.progress_report_edit(
                report=report, by=self.head_a, text="负责同志改", percent=30, version=v
            )
        report.refresh_from_db()
        self.assertEqual(report.text, "联络员改")
        task.refresh_from_db()
        self.assertEqual(task.progress, 20)

    def test_double_sign_is_refused_not_repeated(self):
        task = make_task(by=self.office, lead=self.unit_a)
        services.task_sign(task=task, by=self.liaison_a)
        with self.assertRaises(ValidationError):
            services.task_sign(task=task, by=self.head_a)
        self.assertEqual(TaskEvent.objects.filter(task=task, kind="signed").count(), 1)


class VisibleToTests(PortalTestCase):
    def test_unit_scoped_queryset_matches_lead_or_co_filter(self):
        t1 = make_task(by=self.office, lead=self.unit_a)
        t2 = make_task(by=self.office, lead=self.unit_b, co=[self.unit_a])
        t3 = make_task(by=self.office, lead=self.unit_out)
        self.assertEqual(set(Task.objects.visible_to(self.liaison_a)), {t1, t2})
        self.assertEqual(set(Task.objects.visible_to(self.liaison_b)), {t2})
        self.assertEqual(set(Task.objects.visible_to(self.leader)), {t1, t2, t3})
        self.assertEqual(
            set(Task.objects.visible_to(self.liaison_a)),
            set(Task.objects.for_unit(self.unit_a)),
        )
        self.assertFalse(Task.objects.visible_to(self.nobody).exists())
        self.assertEqual(Unit.objects.members().count(), 12)
