"""Task pages and actions: the permission matrix over all 12 units, and what each
role can do in the browser."""

from __future__ import annotations

import shutil
import tempfile
from datetime import timedelta
from urllib.parse import quote

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings.models import Minutes
from members.models import Unit, User
from members.services import account_create
from notices.models import Notification
from tasks import extensions, services
from tasks.models import Evidence, ProgressReport, Task, WorkdayOverride, WorkPlan
from tests.base import PortalTestCase

from .factories import issued_decisions, make_task, pdf

MEDIA = tempfile.mkdtemp(prefix="jinwei-tasks-test-")


def tearDownModule():
    shutil.rmtree(MEDIA, ignore_errors=True)


@override_settings(MEDIA_ROOT=MEDIA)
class PermissionMatrixTests(PortalTestCase):
    """For every task, every unit that is neither lead nor co-unit gets 404 on its
    page, its attachments, its report and closure endpoints."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.liaisons: dict[int, User] = {}
        for unit in Unit.objects.members():
            user = User.objects.filter(unit=unit, role=User.Role.LIAISON).first()
            if user is None:
                user = account_create(
                    username=f"pm_{unit.code}",
                    password="x-password-123",
                    display_name=f"{unit.name}联络员",
                    role=User.Role.LIAISON,
                    unit=unit,
                )
            cls.liaisons[unit.pk] = user
        units = {u.code: u for u in Unit.objects.members()}
        specs = [
            ("sfj", ["czj"]),
            ("scjgj", ["gaj", "wlj"]),
            ("fy", []),
        ]
        cls.tasks = []
        for lead, co in specs:
            task = make_task(by=cls.office, lead=units[lead], co=[units[c] for c in co])
            lead_user = cls.liaisons[units[lead].pk]
            services.task_sign(task=task, by=lead_user)
            with override_settings(MEDIA_ROOT=MEDIA):
                services.progress_report_file(
                    task=task, by=lead_user, text="进展", percent=30, files=[pdf()]
                )
            cls.tasks.append(task)

    def test_matrix(self):
        self.assertEqual(len(self.liaisons), 12)
        for task in self.tasks:
            involved = {task.lead_unit_id, *task.co_units.values_list("pk", flat=True)}
            evidence = Evidence.objects.get(report__task=task)
            report = ProgressReport.objects.get(task=task)
            for unit_id, user in self.liaisons.items():
                self.client.force_login(user)
                urls_get = [
                    task.get_absolute_url(),
                    evidence.get_absolute_url(),
                    reverse("tasks:report", args=[task.pk]),
                ]
                with self.subTest(task=task.code, unit=user.unit.code):
                    if unit_id in involved:
                        for url in urls_get:
                            self.assertEqual(self.client.get(url).status_code, 200, url)
                        continue
                    for url in urls_get:
                        self.assertEqual(self.client.get(url).status_code, 404, url)
                    for name in ("report", "closure", "sign", "extension"):
                        url = reverse(f"tasks:{name}", args=[task.pk])
                        self.assertEqual(
                            self.client.post(
                                url, {"text": "x", "percent": 1}
                            ).status_code,
                            404,
                            url,
                        )
                    url = reverse("tasks:report_edit", args=[report.pk])
                    self.assertEqual(self.client.get(url).status_code, 404)
                    for name in ("return", "close", "edit", "reassign"):
                        url = reverse(f"tasks:{name}", args=[task.pk])
                        self.assertEqual(
                            self.client.post(url, {"reason": "x"}).status_code, 404
                        )
        self.assertEqual(ProgressReport.objects.count(), 3)


@override_settings(MEDIA_ROOT=MEDIA)
class RoleTests(PortalTestCase):
    def setUp(self):
        self.task = make_task(by=self.office, lead=self.unit_a, co=[self.unit_b])

    def url(self, name, pk=None):
        return reverse(f"tasks:{name}", args=[pk or self.task.pk])

    def test_co_unit_may_report_but_not_close_or_sign_as_lead(self):
        services.task_sign(task=self.task, by=self.liaison_a)
        response = self.post_as(
            self.liaison_b,
            self.url("report"),
            {"text": "配合部分已完成", "percent": 100, "files": [pdf()]},
        )
        self.assertRedirects(response, self.task.get_absolute_url())
        report = ProgressReport.objects.get(task=self.task)
        self.assertFalse(report.is_lead_report)
        self.assertEqual(report.unit, self.unit_b)
        self.assertEqual(
            self.post_as(self.liaison_b, self.url("closure")).status_code, 403
        )
        self.assertEqual(
            self.post_as(self.liaison_b, self.url("extension"), {}).status_code, 403
        )
        self.task.refresh_from_db()
        self.assertEqual(self.task.status, Task.Status.SIGNED)
        # the co-unit's "sign" is an acknowledgment
        self.post_as(self.liaison_b, self.url("sign"))
        self.task.refresh_from_db()
        self.assertEqual(self.task.signed_by, self.liaison_a)

    def test_leader_reads_but_gets_403_on_unit_and_office_actions(self):
        self.assertEqual(
            self.get_as(self.leader, self.task.get_absolute_url()).status_code, 200
        )
        for name in (
            "sign",
            "closure",
            "report",
            "extension",
            "return",
            "close",
            "waive",
        ):
            with self.subTest(name=name):
                self.assertEqual(
                    self.post_as(
                        self.leader, self.url(name), {"reason": "x"}
                    ).status_code,
                    403,
                )
        self.assertEqual(self.get_as(self.leader, self.url("edit")).status_code, 403)

    def test_office_gets_403_on_unit_actions(self):
        for name in ("sign", "closure", "report", "extension"):
            self.assertEqual(self.post_as(self.office, self.url(name)).status_code, 403)

    def test_lead_unit_gets_403_on_office_actions(self):
        for name in ("return", "close", "waive", "edit", "reassign"):
            self.assertEqual(
                self.post_as(
                    self.liaison_a, self.url(name), {"reason": "x"}
                ).status_code,
                403,
            )

    def test_anonymous_and_no_role(self):
        for url in (
            reverse("tasks:list"),
            self.task.get_absolute_url(),
            self.url("report"),
        ):
            self.assertLoginRedirect(self.get_as(None, url))
        self.assertEqual(
            self.get_as(self.nobody, self.task.get_absolute_url()).status_code, 404
        )

    def test_get_on_post_only_is_405(self):
        self.client.force_login(self.office)
        for name in ("sign", "closure", "return", "close", "waive"):
            self.assertEqual(self.client.get(self.url(name)).status_code, 405, name)
        ext = extensions.extension_request(
            task=self.task,
            by=self.liaison_a,
            reason="r",
            new_due_on=self.task.due_on + timedelta(days=9),
        )
        self.assertEqual(
            self.client.get(
                reverse("tasks:extension_decide", args=[ext.pk])
            ).status_code,
            405,
        )
        self.assertEqual(self.client.get(reverse("notices:read_all")).status_code, 405)

    def test_extension_through_pages(self):
        response = self.post_as(
            self.liaison_a,
            self.url("extension"),
            {
                "new_due_on": (self.task.due_on + timedelta(days=20)).isoformat(),
                "reason": "现场核查未完成",
            },
        )
        self.assertRedirects(response, self.task.get_absolute_url())
        ext = self.task.extensions.get()
        response = self.post_as(
            self.liaison_a,
            reverse("tasks:extension_decide", args=[ext.pk]),
            {"approve": "1"},
        )
        self.assertEqual(response.status_code, 403)
        response = self.post_as(
            self.leader,
            reverse("tasks:extension_decide", args=[ext.pk]),
            {"approve": "1"},
        )
        self.assertRedirects(response, self.task.get_absolute_url())
        self.task.refresh_from_db()
        self.assertEqual(self.task.due_on, ext.new_due_on)
        page = self.get_as(self.liaison_a, self.task.get_absolute_url())
        self.assertContains(page, "原定时限")
        self.assertContains(page, "批准延期")

    def test_return_needs_reason_and_notifies(self):
        services.task_sign(task=self.task, by=self.liaison_a)
        services.progress_report_file(
            task=self.task, by=self.liaison_a, text="x", percent=10
        )
        response = self.post_as(
            self.office, self.url("return"), {"reason": ""}, follow=True
        )
        self.assertContains(response, "请填写退回理由")
        self.task.refresh_from_db()
        self.assertEqual(self.task.status, Task.Status.IN_PROGRESS)
        self.post_as(self.office, self.url("return"), {"reason": "请补充数据"})
        self.task.refresh_from_db()
        self.assertEqual(self.task.status, Task.Status.RETURNED)
        note = Notification.objects.filter(recipient=self.liaison_a).first()
        self.assertIn("请补充数据", note.text)
        home = self.get_as(self.liaison_a, reverse("home"))
        self.assertContains(home, "被退回")
        self.assertContains(home, "请补充数据")

    def test_evidence_download_is_attachment_with_encoded_name(self):
        services.task_sign(task=self.task, by=self.liaison_a)
        services.progress_report_file(
            task=self.task,
            by=self.liaison_a,
            text="x",
            percent=10,
            files=[pdf("执法 照片.pdf")],
        )
        evidence = Evidence.objects.get()
        self.assertNotIn("执法", evidence.file.name)
        self.assertTrue(evidence.file.name.startswith(f"evidence/{self.task.pk}/"))
        response = self.get_as(self.liaison_b, evidence.get_absolute_url())
        self.assertEqual(response.status_code, 200)
        disposition = response["Content-Disposition"]
        self.assertTrue(disposition.startswith("attachment"))
        self.assertIn("filename*=utf-8''" + quote("执法 照片.pdf"), disposition)
        self.assertEqual(b"".join(response.streaming_content)[:5], b"%PDF-")
        self.assertEqual(
            self.get_as(self.outsider, evidence.get_absolute_url()).status_code, 404
        )

    def test_bad_evidence_is_refused_and_nothing_written(self):
        services.task_sign(task=self.task, by=self.liaison_a)
        fake = SimpleUploadedFile(
            "报告.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"
        )
        exe = SimpleUploadedFile(
            "tool.exe", b"MZ\x90\x00", content_type="application/octet-stream"
        )
        for upload, message in ((fake, "内容与扩展名"), (exe, "文件类型不允许")):
            response = self.post_as(
                self.liaison_a,
                self.url("report"),
                {"text": "我的进展文字", "percent": 10, "files": [upload]},
            )
            self.assertEqual(response.status_code, 200)
            self.assertContains(response, message)
            self.assertContains(response, "我的进展文字")
        self.assertFalse(ProgressReport.objects.exists())
        with self.settings(EVIDENCE_MAX_BYTES=10):
            response = self.post_as(
                self.liaison_a,
                self.url("report"),
                {"text": "x", "percent": 10, "files": [pdf()]},
            )
        self.assertContains(response, "大小限制")

    def test_stale_edit_page_keeps_text_and_tells(self):
        url = self.url("edit")
        version = self.task.edit_version
        first = self.post_as(
            self.office,
            url,
            {"title": "甲改", "description": "甲的内容", "version": version},
        )
        self.assertRedirects(first, self.task.get_absolute_url())
        second = self.post_as(
            self.office,
            url,
            {"title": "乙改", "description": "乙的内容很长", "version": version},
        )
        self.assertEqual(second.status_code, 200)
        self.assertContains(second, "已被他人修改")
        self.assertContains(second, "乙的内容很长")  # their text is back
        self.assertContains(second, "甲的内容")  # and what is stored now
        self.task.refresh_from_db()
        self.assertEqual(self.task.title, "甲改")
        # Submitting again (now at the current version) saves deliberately.
        third = self.post_as(
            self.office,
            url,
            {
                "title": "乙改",
                "description": "乙的内容很长",
                "version": self.task.edit_version,
            },
        )
        self.assertRedirects(third, self.task.get_absolute_url())

    def test_timeline_shows_steps_with_before_after(self):
        services.task_sign(task=self.task, by=self.liaison_a)
        page = self.get_as(self.liaison_a, self.task.get_absolute_url())
        self.assertContains(page, "交办")
        self.assertContains(page, "签收")
        self.assertContains(page, "已交办</del> → <ins>已签收")


class CreateFromDecisionTests(PortalTestCase):
    def test_office_converts_decided_matter(self):
        (decision,) = issued_decisions(
            self.office, ["由区司法局牵头建设知识产权公共法律服务工作站"]
        )
        url = reverse("tasks:create_from_decision", args=[decision.pk])
        page = self.get_as(self.office, url)
        self.assertContains(page, "建设知识产权公共法律服务工作站")
        due = (timezone.localdate() + timedelta(days=40)).isoformat()
        response = self.post_as(
            self.office,
            url,
            {
                "title": "建设公共法律服务工作站",
                "description": decision.text,
                "lead": self.unit_a.pk,
                "co_units": [self.unit_b.pk],
                "due": due,
            },
        )
        task = Task.objects.get(decision=decision)
        self.assertRedirects(response, task.get_absolute_url())
        self.assertEqual(task.code, decision.code)
        # lead also among co-units is refused; past deadline refused
        response = self.post_as(
            self.office,
            url,
            {
                "title": "t",
                "description": "d",
                "lead": self.unit_a.pk,
                "co_units": [self.unit_a.pk],
                "due": "2020-01-01",
            },
        )
        self.assertContains(response, "牵头单位不能同时作为配合单位")
        self.assertContains(response, "完成时限不能早于今天")
        self.assertEqual(Task.objects.count(), 1)

    def test_only_office_and_only_issued(self):
        (decision,) = issued_decisions(self.office, ["x"], status=Minutes.Status.DRAFT)
        url = reverse("tasks:create_from_decision", args=[decision.pk])
        self.assertEqual(self.get_as(self.liaison_a, url).status_code, 403)
        self.assertEqual(self.get_as(self.leader, url).status_code, 403)
        response = self.get_as(self.office, url)
        self.assertEqual(response.status_code, 302)
        self.assertFalse(Task.objects.exists())


class ListTests(PortalTestCase):
    def make(self, n: int, lead: Unit) -> None:
        for i in range(n):
            make_task(
                by=self.office,
                lead=lead,
                co=[self.unit_b],
                due=timezone.localdate() + timedelta(days=i - 3),
                title=f"任务{i}",
            )

    def count_queries(self, user, url) -> int:
        self.client.force_login(user)
        self.client.get(url)  # a new session's first refresh is written once
        with CaptureQueriesContext(connection) as ctx:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        return len(ctx)

    def test_same_queries_at_two_sizes(self):
        url = reverse("tasks:list")
        self.make(3, self.unit_a)
        small_office = self.count_queries(self.office, url)
        small_unit = self.count_queries(self.liaison_a, url)
        self.make(25, self.unit_a)
        self.assertEqual(self.count_queries(self.office, url), small_office)
        self.assertEqual(self.count_queries(self.liaison_a, url), small_unit)
        with self.assertNumQueries(small_unit):
            self.client.get(url)

    def test_unit_sees_only_its_tasks_sorted_by_urgency(self):
        mine = make_task(
            by=self.office,
            lead=self.unit_a,
            due=timezone.localdate() + timedelta(days=90),
        )
        late = make_task(
            by=self.office,
            lead=self.unit_a,
            due=timezone.localdate() - timedelta(days=1),
        )
        other = make_task(by=self.office, lead=self.unit_out, title="林业局的任务")
        response = self.get_as(self.liaison_a, reverse("tasks:list"))
        tasks = list(response.context["tasks"])
        self.assertEqual(tasks, [late, mine])
        self.assertNotContains(response, "林业局的任务")
        response = self.get_as(self.office, reverse("tasks:list") + "?light=red")
        self.assertEqual(list(response.context["tasks"]), [late])
        response = self.get_as(
            self.office, reverse("tasks:list") + f"?unit={self.unit_out.code}"
        )
        self.assertEqual(list(response.context["tasks"]), [other])
        response = self.get_as(self.office, reverse("tasks:list") + f"?q={other.code}")
        self.assertEqual(list(response.context["tasks"]), [other])

    def test_the_ledger_opens_on_open_tasks(self):
        open_task = make_task(by=self.office, lead=self.unit_a, title="未销号任务")
        closed = make_task(by=self.office, lead=self.unit_a, title="已销号任务")
        Task.objects.filter(pk=closed.pk).update(status=Task.Status.CLOSED)
        url = reverse("tasks:list")
        landing = self.get_as(self.office, url)
        self.assertEqual(list(landing.context["tasks"]), [open_task])
        self.assertContains(landing, '<option value="open" selected>')
        # the filter bar's 全部状态 (an empty status) shows closed tasks too
        every = self.get_as(self.office, url + "?status=")
        self.assertEqual(set(every.context["tasks"]), {open_task, closed})
        grey = self.get_as(self.office, url + "?light=grey")
        self.assertEqual(list(grey.context["tasks"]), [closed])

    def test_meeting_filter_lists_only_meetings_the_unit_may_open(self):
        from tests.meetings import factories as meetings

        meetings.meeting(self.office, units=[self.unit_a], title="甲单位专题会")
        meetings.meeting(self.office, units=[self.unit_out], title="林业专题会")
        mine = self.get_as(self.liaison_a, reverse("tasks:list"))
        self.assertContains(mine, "甲单位专题会")
        self.assertNotContains(mine, "林业专题会")
        office = self.get_as(self.office, reverse("tasks:list"))
        self.assertContains(office, "林业专题会")

    def test_pages_for_notifications_and_workdays(self):
        make_task(by=self.office, lead=self.unit_a)
        page = self.get_as(self.liaison_a, reverse("notices:list"))
        self.assertContains(page, "新交办任务")
        self.post_as(self.liaison_a, reverse("notices:read_all"))
        self.assertFalse(
            Notification.objects.filter(recipient=self.liaison_a, read_at=None).exists()
        )
        url = reverse("tasks:workdays")
        self.assertEqual(self.get_as(self.liaison_a, url).status_code, 404)
        self.assertEqual(self.get_as(self.leader, url).status_code, 200)
        self.assertEqual(
            self.post_as(self.leader, url, {"day": "2027-10-01"}).status_code, 403
        )
        self.post_as(
            self.office, url, {"day": "2027-10-01", "is_workday": "", "note": "国庆"}
        )
        self.assertFalse(WorkdayOverride.objects.get().is_workday)

    def test_unit_page_and_home_inbox(self):
        make_task(by=self.office, lead=self.unit_a, title="待签收的任务")
        home = self.get_as(self.liaison_a, reverse("home"))
        self.assertContains(home, "待签收的任务")
        self.assertContains(home, "待签收")
        unit_page = self.get_as(self.liaison_a, self.unit_a.get_absolute_url())
        self.assertContains(unit_page, "承办任务")
        self.assertNotContains(
            self.get_as(self.liaison_b, self.unit_a.get_absolute_url()), "承办任务"
        )


class OfficePagesTests(PortalTestCase):
    def test_reassign_page_regrants(self):
        task = make_task(by=self.office, lead=self.unit_a, co=[self.unit_b])
        url = reverse("tasks:reassign", args=[task.pk])
        self.assertContains(self.get_as(self.office, url), "调整承办单位与时限")
        response = self.post_as(
            self.office,
            url,
            {
                "lead": self.unit_a.pk,
                "co_units": [self.unit_out.pk],
                "due": task.due_on.isoformat(),
                "version": task.edit_version,
            },
        )
        self.assertRedirects(response, task.get_absolute_url())
        self.assertEqual(
            self.get_as(self.liaison_b, task.get_absolute_url()).status_code, 404
        )
        self.assertEqual(
            self.get_as(self.outsider, task.get_absolute_url()).status_code, 200
        )

    def test_plan_pages(self):
        response = self.post_as(
            self.office,
            reverse("tasks:plan_create"),
            {"year": 2027, "title": "2027年工作计划"},
        )
        plan = WorkPlan.objects.get(year=2027)
        self.assertRedirects(response, plan.get_absolute_url())
        self.assertEqual(
            self.get_as(self.leader, plan.get_absolute_url()).status_code, 200
        )
        self.assertEqual(
            self.get_as(self.liaison_a, plan.get_absolute_url()).status_code, 404
        )
        self.assertEqual(
            self.get_as(self.liaison_a, reverse("tasks:plans")).status_code, 404
        )
        self.assertEqual(
            self.get_as(self.leader, reverse("tasks:plan_create")).status_code, 403
        )
        response = self.post_as(
            self.office,
            reverse("tasks:create_for_plan", args=[plan.pk]),
            {
                "title": "计划任务",
                "description": "内容",
                "lead": self.unit_b.pk,
                "due": "2027-06-30",
            },
        )
        task = Task.objects.get(plan=plan)
        self.assertEqual(task.code, "2027-计划-1")
        self.assertRedirects(response, task.get_absolute_url())
