"""The task page costs the same number of queries however long the task's story is:
one report or many, with evidence from two units, extensions and the history of
every edit. Counted for the office, the lead unit's liaison and a co-unit's."""

from __future__ import annotations

import shutil
import tempfile
from datetime import timedelta

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tasks import extensions, services
from tasks.models import Extension, ProgressReport, Task
from tasks.timeline import build_timeline
from tests.base import PortalTestCase

from .factories import make_task, pdf

MEDIA = tempfile.mkdtemp(prefix="jinwei-task-page-")
MAX_QUERIES = 15


def tearDownModule():
    shutil.rmtree(MEDIA, ignore_errors=True)


@override_settings(MEDIA_ROOT=MEDIA)
class TaskPageQueryTests(PortalTestCase):
    def setUp(self):
        self.task = make_task(by=self.office, lead=self.unit_a, co=[self.unit_b])
        services.task_sign(task=self.task, by=self.liaison_a)
        services.task_acknowledge(task=self.task, by=self.liaison_b)
        self.report(self.liaison_a, "第一次总体进展：已制定执法方案。", 10)
        self.url = reverse("tasks:detail", args=[self.task.pk])

    def report(self, by, text: str, percent: int, files=()) -> ProgressReport:
        task = Task.objects.get(pk=self.task.pk)
        return services.progress_report_file(
            task=task, by=by, text=text, percent=percent, files=list(files)
        )

    def grow(self) -> None:
        """Five more reports (evidence from both units), a returned and an edited
        report, an approved and a pending extension."""
        self.report(
            self.liaison_b,
            "财政局配合部分：执法经费已拨付。",
            50,
            [pdf("拨付凭证.pdf")],
        )
        lead = self.report(
            self.liaison_a,
            "第二次总体进展：查处案件三起。",
            40,
            [pdf("现场照片.pdf"), pdf("案件清单.pdf")],
        )
        services.task_return(
            task=Task.objects.get(pk=self.task.pk),
            by=self.office,
            reason="请补充案件查处结果",
            report=lead,
        )
        self.report(self.liaison_a, "第三次总体进展：案件已结案两起。", 60)
        co = self.report(self.liaison_b, "财政局配合部分：经费使用已审计。", 80)
        services.progress_report_edit(
            report=co,
            by=self.liaison_b,
            text="财政局配合部分：经费使用已审计完毕。",
            percent=90,
            version=co.edit_version,
        )
        task = Task.objects.get(pk=self.task.pk)
        first = extensions.extension_request(
            task=task,
            by=self.liaison_a,
            reason="案件移送需要时间",
            new_due_on=task.due_on + timedelta(days=30),
        )
        extensions.extension_decide(extension=first, approve=True, by=self.office)
        task = Task.objects.get(pk=self.task.pk)
        extensions.extension_request(
            task=task,
            by=self.liaison_a,
            reason="等待法院判决",
            new_due_on=task.due_on + timedelta(days=20),
        )
        self.report(self.liaison_a, "第四次总体进展：判决待出。", 70)
        self.assertEqual(self.task.reports.count(), 6)
        self.assertEqual(self.task.extensions.count(), 2)

    def page(self, user):
        self.client.force_login(user)
        # Counted on a second look: the first request after signing in may also
        # refresh the session, which is not what this page costs.
        self.client.get(self.url)
        with CaptureQueriesContext(connection) as ctx:
            response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        return response, len(ctx), ctx

    def assertSameQueriesAtTwoSizes(self, user) -> None:
        response, small, _ = self.page(user)
        self.assertContains(response, "第一次总体进展：已制定执法方案。")
        titles = [entry.title for entry in response.context["timeline"]]
        self.assertEqual(titles, ["交办", "签收", "确认收到", "报送进展"])
        self.grow()
        response, large, ctx = self.page(user)
        queries = "\n".join(q["sql"] for q in ctx.captured_queries)
        self.assertEqual(large, small, queries)
        self.assertLessEqual(large, MAX_QUERIES, queries)
        self.assertSeesTheWholeStory(response)
        if user.is_unit_member:  # the header still names the person's unit
            self.assertContains(response, f"{user} · {user.unit.name}")

    def assertSeesTheWholeStory(self, response) -> None:
        for report in ProgressReport.objects.filter(task=self.task):
            self.assertContains(response, f'id="report-{report.pk}"')
            self.assertContains(response, report.text)
        for name in ("拨付凭证.pdf", "现场照片.pdf", "案件清单.pdf"):
            self.assertContains(response, name)
        self.assertContains(response, "请补充案件查处结果")
        for extension in Extension.objects.filter(task=self.task):
            self.assertContains(response, f'id="extension-{extension.pk}"')
        timeline = response.context["timeline"]
        titles = [entry.title for entry in timeline]
        self.assertEqual(titles.count("报送进展"), 6)
        self.assertEqual(titles.count("申请延期"), 2)
        self.assertIn("批准延期", titles)
        changes = {(c.label, c.old, c.new) for entry in timeline for c in entry.changes}
        # History of the report and the extension, attached to their events.
        self.assertIn(("进展报告·退回理由", "—", "请补充案件查处结果"), changes)
        self.assertIn(
            (
                "进展报告·进展情况",
                "财政局配合部分：经费使用已审计。",
                "财政局配合部分：经费使用已审计完毕。",
            ),
            changes,
        )
        self.assertIn(("延期申请·状态", "待审批", "已批准"), changes)
        self.assertIn(("延期申请·审批人", "—", str(self.office)), changes)
        self.assertContains(response, "延期申请·审批人：<del>—</del> → <ins>陈静</ins>")
        edited = next(e for e in timeline if e.title == "修改")
        self.assertEqual(edited.who, str(self.liaison_b))
        self.assertIn("进展报告·完成进度（%）", [c.label for c in edited.changes])

    def test_office(self):
        self.assertSameQueriesAtTwoSizes(self.office)

    def test_lead_unit_liaison(self):
        self.assertSameQueriesAtTwoSizes(self.liaison_a)

    def test_co_unit_liaison(self):
        self.assertSameQueriesAtTwoSizes(self.liaison_b)

    def test_leader(self):
        self.assertSameQueriesAtTwoSizes(self.leader)

    def test_actions_still_follow_the_permissions(self):
        self.grow()
        lead, _, _ = self.page(self.liaison_a)
        self.assertTrue(lead.context["actions"]["is_lead"])
        self.assertTrue(lead.context["actions"]["report"])
        # at 70 % the lead is told what closure needs, and gets no closure button
        self.assertNotContains(lead, reverse("tasks:closure", args=[self.task.pk]))
        self.assertContains(
            lead, "总体进度 70%：报送办结情况（完成进度 100%）后可申请销号。"
        )
        self.report(self.liaison_a, "第五次总体进展：全部完成。", 100)
        lead, _, _ = self.page(self.liaison_a)
        self.assertContains(lead, reverse("tasks:closure", args=[self.task.pk]))
        co, _, _ = self.page(self.liaison_b)
        self.assertFalse(co.context["actions"]["is_lead"])
        self.assertTrue(co.context["actions"]["report"])
        self.assertNotContains(co, reverse("tasks:closure", args=[self.task.pk]))
        office, _, _ = self.page(self.office)
        self.assertFalse(office.context["actions"]["report"])
        self.assertTrue(office.context["actions"]["decide_pending"])
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.get(self.url).status_code, 404)


class TimelineMatchTests(PortalTestCase):
    def test_a_correction_moments_after_filing_joins_its_own_event(self):
        """The correction's history lies between the 报送进展 and 修改 events; it
        belongs to the 修改 that follows it, even when the 报送进展 before it is
        nearer in time (as on a busy server)."""
        task = make_task(by=self.office, lead=self.unit_a, co=[self.unit_b])
        services.task_sign(task=task, by=self.liaison_a)
        report = services.progress_report_file(
            task=task, by=self.liaison_b, text="配合部分：已审计。", percent=80
        )
        services.progress_report_edit(
            report=report,
            by=self.liaison_b,
            text="配合部分：已审计完毕。",
            percent=90,
            version=report.edit_version,
        )
        edit = report.history.filter(history_type="~").get()
        stamp = edit.history_date
        # the filing's event 1 ms before the correction, the correction's 50 ms after
        task.events.filter(kind="reported").update(
            created_at=stamp - timedelta(milliseconds=1)
        )
        task.events.filter(kind="edited").update(
            created_at=stamp + timedelta(milliseconds=50)
        )
        timeline = build_timeline(Task.objects.get(pk=task.pk))
        by_title = {entry.title: entry for entry in timeline}
        self.assertIn(
            "进展报告·完成进度（%）", [c.label for c in by_title["修改"].changes]
        )
        self.assertNotIn(
            "进展报告·完成进度（%）",
            [c.label for c in by_title["报送进展"].changes if c.old != "—"],
        )
