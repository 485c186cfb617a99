"""What a unit may still do while a task waits: no buttons that lead to a refusal,
and nothing the office is verifying changes under it.

- 申请销号 needs the lead's report at 100 %;
- while the office reviews a closure request, the lead unit can neither report,
  correct a report nor ask for an extension, until the task is returned;
- an extension moves a deadline by a year at most;
- a lower percentage than before is accepted and said so."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse

from notices.models import Notification
from tasks import extensions, services
from tasks.models import Extension, ProgressReport, Task, TaskEvent
from tests.base import PortalTestCase

from .factories import make_task


class WorkflowGuardTests(PortalTestCase):
    def setUp(self):
        self.task = make_task(by=self.office, lead=self.unit_a, co=[self.unit_b])
        services.task_sign(task=self.task, by=self.liaison_a)

    def url(self, name: str, pk: int | None = None) -> str:
        return reverse(f"tasks:{name}", args=[pk or self.task.pk])

    def report(self, by, percent: int, text: str = "进展") -> ProgressReport:
        task = Task.objects.get(pk=self.task.pk)
        return services.progress_report_file(
            task=task, by=by, text=text, percent=percent
        )

    def in_review(self) -> tuple[ProgressReport, ProgressReport]:
        lead = self.report(self.liaison_a, 100, "全部完成")
        co = self.report(self.liaison_b, 100, "配合部分完成")
        services.closure_request(
            task=Task.objects.get(pk=self.task.pk), by=self.liaison_a
        )
        return lead, co

    def messages_of(self, response) -> list[str]:
        return [str(m) for m in get_messages(response.wsgi_request)]

    def test_closure_needs_the_lead_report_at_100(self):
        self.report(self.liaison_b, 100)
        self.report(self.liaison_a, 20)
        page = self.get_as(self.liaison_a, self.task.get_absolute_url())
        self.assertNotContains(page, self.url("closure"))
        self.assertContains(
            page, "总体进度 20%：报送办结情况（完成进度 100%）后可申请销号。"
        )
        response = self.post_as(self.liaison_a, self.url("closure"), follow=True)
        self.assertContains(
            response, "总体进度为 20%，请先报送办结情况（完成进度 100%）再申请销号。"
        )
        self.task.refresh_from_db()
        self.assertEqual(self.task.status, Task.Status.IN_PROGRESS)
        self.assertFalse(
            TaskEvent.objects.filter(task=self.task, kind="closure_requested").exists()
        )

    def test_in_review_the_lead_cannot_report_correct_or_extend(self):
        lead_report, co_report = self.in_review()
        page = self.get_as(self.liaison_a, self.task.get_absolute_url())
        self.assertNotContains(page, self.url("report"))
        self.assertNotContains(page, self.url("extension"))
        self.assertNotContains(page, self.url("report_edit", lead_report.pk))
        # opening the pages says why, instead of a form that will be refused
        for name, pk, message in (
            ("report", None, "已申请销号，等待办公室审核；如需补充请待退回后再报送。"),
            (
                "extension",
                None,
                "已申请销号，等待办公室审核；如需延期请待退回后再申请。",
            ),
            (
                "report_edit",
                lead_report.pk,
                "已申请销号，办公室审核期间进展报告不能修改；如需修改请待退回后再改。",
            ),
        ):
            with self.subTest(name):
                response = self.get_as(self.liaison_a, self.url(name, pk))
                self.assertEqual(response.status_code, 302)
                self.assertIn(message, self.messages_of(response))
        # and a POST made anyway changes nothing
        response = self.post_as(
            self.liaison_a,
            self.url("report_edit", lead_report.pk),
            {"text": "改成别的", "percent": 1, "version": lead_report.edit_version},
        )
        self.assertEqual(response.status_code, 302)
        lead_report.refresh_from_db()
        self.assertEqual((lead_report.text, lead_report.percent), ("全部完成", 100))
        with self.assertRaisesMessage(ValidationError, "办公室审核期间"):
            services.progress_report_edit(
                report=co_report,
                by=self.liaison_b,
                text="改",
                percent=50,
                version=co_report.edit_version,
            )
        with self.assertRaisesMessage(ValidationError, "如需延期请待退回后再申请"):
            extensions.extension_request(
                task=Task.objects.get(pk=self.task.pk),
                by=self.liaison_a,
                reason="x",
                new_due_on=self.task.due_on + timedelta(days=10),
            )
        self.assertFalse(Extension.objects.exists())
        # a return reopens all of it
        services.task_return(
            task=Task.objects.get(pk=self.task.pk), by=self.office, reason="补材料"
        )
        page = self.get_as(self.liaison_a, self.task.get_absolute_url())
        self.assertContains(page, self.url("report"))
        self.assertContains(page, self.url("extension"))
        self.assertContains(page, self.url("report_edit", lead_report.pk))

    def test_report_page_before_signing_says_sign_first(self):
        task = make_task(by=self.office, lead=self.unit_a)
        response = self.get_as(self.liaison_a, self.url("report", task.pk), follow=True)
        self.assertRedirects(response, task.get_absolute_url())
        self.assertContains(response, "请先签收任务，再报送进展。")

    def test_extension_page_with_one_pending_says_so(self):
        extensions.extension_request(
            task=Task.objects.get(pk=self.task.pk),
            by=self.liaison_a,
            reason="等待批复",
            new_due_on=self.task.due_on + timedelta(days=10),
        )
        response = self.get_as(self.liaison_a, self.url("extension"), follow=True)
        self.assertRedirects(response, self.task.get_absolute_url())
        self.assertContains(response, "已有一项延期申请待审批。")

    def test_extension_is_one_year_at_most(self):
        due = self.task.due_on
        latest = extensions.extension_latest(due)
        self.assertEqual(latest, due.replace(year=due.year + 1))
        self.assertEqual(
            extensions.extension_latest(date(2028, 2, 29)), date(2029, 2, 28)
        )
        page = self.get_as(self.liaison_a, self.url("extension"))
        self.assertContains(
            page, f"不晚于 {latest.year}年{latest.month}月{latest.day}日"
        )
        self.assertNotContains(page, "原定")  # never extended: one deadline only
        response = self.post_as(
            self.liaison_a,
            self.url("extension"),
            {"reason": "很远", "new_due_on": (latest + timedelta(days=1)).isoformat()},
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "一次延期最长一年")
        self.assertFalse(Extension.objects.exists())
        response = self.post_as(
            self.liaison_a,
            self.url("extension"),
            {"reason": "案件移送", "new_due_on": latest.isoformat()},
        )
        self.assertRedirects(response, self.task.get_absolute_url())
        self.assertEqual(Extension.objects.get().new_due_on, latest)

    def test_lower_percentage_is_accepted_and_said(self):
        self.report(self.liaison_a, 60)
        response = self.post_as(
            self.liaison_a,
            self.url("report"),
            {"text": "重新评估后调整进度", "percent": 20},
            follow=True,
        )
        self.assertContains(response, "进展已报送。")
        self.assertContains(
            response, "本次报送的总体进度 20% 低于此前的 60%，任务进度已按本次更新。"
        )
        self.task.refresh_from_db()
        self.assertEqual(self.task.progress, 20)

    def test_co_unit_acknowledgement_is_its_own_step(self):
        services.task_acknowledge(task=self.task, by=self.liaison_b)
        kinds = list(self.task.events.values_list("kind", "unit__name"))
        self.assertIn(("acknowledged", self.unit_b.name), kinds)
        page = self.get_as(self.liaison_a, self.task.get_absolute_url())
        titles = [entry.title for entry in page.context["timeline"]]
        self.assertEqual(titles, ["交办", "签收", "确认收到"])


class DateFieldTests(PortalTestCase):
    """A pre-filled date reaches the browser's date picker as YYYY-MM-DD: in the
    zh-hans locale Django would write 2027/02/28, which the picker drops, so the
    field showed blank and saving said it was required."""

    def test_prefilled_dates_are_iso(self):
        from members.models import Position

        task = make_task(by=self.office, lead=self.unit_a, due=date(2027, 2, 28))
        page = self.get_as(self.office, reverse("tasks:reassign", args=[task.pk]))
        self.assertContains(page, 'type="date"')
        self.assertContains(page, 'value="2027-02-28"')
        self.assertNotContains(page, "2027/02/28")
        position = Position.objects.first()
        page = self.get_as(
            self.office, reverse("members:position_assign", args=[position.pk])
        )
        self.assertEqual(page.status_code, 200)
        self.assertNotRegex(page.content.decode(), r'type="date"[^>]*value="\d{4}/')
        self.assertRegex(
            page.content.decode(), r'type="date"[^>]*value="\d{4}-\d\d-\d\d"'
        )


class ExtensionDecisionTests(PortalTestCase):
    def setUp(self):
        self.task = make_task(by=self.office, lead=self.unit_a)
        services.task_sign(task=self.task, by=self.liaison_a)
        self.extension = extensions.extension_request(
            task=Task.objects.get(pk=self.task.pk),
            by=self.liaison_a,
            reason="案件移送需要时间",
            new_due_on=self.task.due_on + timedelta(days=30),
        )

    def test_the_leader_is_shown_what_waits_for_them(self):
        page = self.get_as(self.leader, self.task.get_absolute_url())
        self.assertContains(page, f'href="#extension-{self.extension.pk}"')
        self.assertContains(page, "审批延期申请（申请延至")
        self.assertNotContains(page, "当前没有需要您办理的事项。")
        extensions.extension_decide(
            extension=self.extension, approve=True, by=self.office
        )
        page = self.get_as(self.leader, self.task.get_absolute_url())
        self.assertNotContains(page, "审批延期申请（申请延至")
        self.assertContains(page, "当前没有需要您办理的事项。")

    def test_rejecting_needs_a_reason(self):
        url = reverse("tasks:extension_decide", args=[self.extension.pk])
        response = self.post_as(self.leader, url, {"approve": "0"}, follow=True)
        self.assertContains(response, "不予延期时请填写审批意见（理由）。")
        self.extension.refresh_from_db()
        self.assertEqual(self.extension.status, Extension.Status.PENDING)
        self.post_as(self.leader, url, {"approve": "0", "note": "时限不宜再延"})
        self.extension.refresh_from_db()
        self.assertEqual(self.extension.status, Extension.Status.REJECTED)
        self.assertEqual(self.extension.decision_note, "时限不宜再延")

    def test_one_decision_settles_every_approvers_notice(self):
        url = self.extension.get_absolute_url()
        waiting = Notification.objects.filter(url=url, read_at__isnull=True)
        approvers = set(waiting.values_list("recipient__username", flat=True))
        self.assertTrue({"office", self.leader.username} <= approvers, approvers)
        extensions.extension_decide(
            extension=self.extension, approve=True, by=self.leader
        )
        self.assertFalse(waiting.exists())
        # the unit's own notice of the decision is new, and unread
        self.assertTrue(
            Notification.objects.filter(
                recipient=self.liaison_a, read_at__isnull=True, text__contains="已批准"
            ).exists()
        )


class SupersededMinutesTests(PortalTestCase):
    def test_a_replaced_version_no_longer_yields_tasks(self):
        from meetings.models import Minutes

        from .factories import issued_decisions

        (old,) = issued_decisions(self.office, ["建设知识产权工作站"])
        Minutes.objects.create(
            meeting=old.minutes.meeting,
            version=2,
            title=old.minutes.title,
            narrative="更正后的正文。",
            drafted_by=self.office,
            status=Minutes.Status.ISSUED,
            supersedes=old.minutes,
        )
        url = reverse("tasks:create_from_decision", args=[old.pk])
        response = self.get_as(self.office, url, follow=True)
        self.assertContains(
            response, "该版纪要已被更正版本取代，请在现行版本中将议定事项转为督办任务。"
        )
        self.assertNotContains(response, 'name="lead"')
        with self.assertRaisesMessage(ValidationError, "已被更正版本取代"):
            services.task_assign(
                decision=old,
                lead=self.unit_a,
                due=date(2027, 6, 30),
                title="建设知识产权工作站",
                description="",
                by=self.office,
            )
        self.assertFalse(Task.objects.filter(decision=old).exists())
