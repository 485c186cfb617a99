"""Large work-plan imports run as jobs: the confirmation shows a progress page,
the worker writes what the request would have written, all or nothing, and the
page then links to the plan."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from jobs import services
from jobs.models import Job
from members.models import Unit, User
from tasks.models import (
    CoUnit,
    Task,
    TaskEvent,
    TaskGroupObjectPermission,
)
from tests.base import PortalTestCase
from tests.tasks import test_import
from tests.tasks.factories import work_plan, xlsx_bytes

from .helpers import drain, queued

# deadlines with their year, so the same rows mean the same tasks in any plan
ROWS = [
    [1, "开展知识产权法治宣传", "区司法局", "区财政局、区市场监管局", "2026-06-30", ""],
    [2, "落实知识产权资助资金", "区财政局", "", "2026-12-31", "CZJ-1"],
    [
        "",
        "组织联合执法行动（区市场监管局、区司法局负责）",
        "",
        "",
        "2026年9月底",
        "SCJGJ-4",
    ],
]


@override_settings(PLAN_IMPORT_JOB_ROWS=2)
class PlanImportJobTests(PortalTestCase):
    def setUp(self):
        self.plan = work_plan(self.office)

    def preview(self, plan=None, rows=ROWS, user=None):
        plan = plan or self.plan
        response = self.post_as(
            user or self.office,
            reverse("tasks:plan_import", args=[plan.pk]),
            {"file": SimpleUploadedFile("计划.xlsx", xlsx_bytes(rows))},
        )
        self.assertContains(response, f"预览：共 {len(rows)} 项任务")
        return response

    def confirm(self, plan=None):
        plan = plan or self.plan
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(
                reverse("tasks:plan_import_confirm", args=[plan.pk])
            )

    def test_a_large_import_is_a_job_with_progress_then_a_link_to_the_plan(self):
        page = self.preview()
        self.assertContains(page, "确认后由后台导入")
        with queued():
            response = self.confirm()
            job = Job.objects.get()
            self.assertRedirects(response, job.get_absolute_url())
            self.assertEqual(
                (job.owner, job.kind, job.state),
                (self.office, "plan_import", Job.State.PENDING),
            )
            self.assertFalse(Task.objects.exists())
            page = self.get_as(self.office, job.get_absolute_url())
            self.assertContains(page, "导入工作计划：2026年知识产权强区建设工作计划")
            self.assertContains(page, 'role="progressbar"')
            self.assertContains(page, 'aria-valuenow="0"')
            self.assertContains(page, "排队中，等待后台处理")
            self.assertContains(page, 'hx-trigger="every 1s"')
            self.assertEqual(drain(), 1)
        job.refresh_from_db()
        self.assertEqual(job.state, Job.State.DONE, job.error)
        self.assertEqual(Task.objects.filter(plan=self.plan).count(), 3)
        partial = self.get_as(self.office, reverse("jobs:progress", args=[job.pk]))
        self.assertEqual(partial.status_code, 286)  # htmx stops polling
        self.assertContains(
            partial,
            "已完成。已向“2026年知识产权强区建设工作计划”导入 3 项任务。",
            status_code=286,
        )
        self.assertContains(partial, 'aria-valuenow="100"', status_code=286)
        self.assertContains(
            partial, f'href="{self.plan.get_absolute_url()}"', status_code=286
        )
        self.assertContains(partial, ">查看结果</a>", status_code=286)
        self.assertNotContains(
            partial, reverse("jobs:download", args=[job.pk]), status_code=286
        )
        # no file: nothing to download
        self.assertEqual(
            self.get_as(
                self.office, reverse("jobs:download", args=[job.pk])
            ).status_code,
            404,
        )
        mine = self.get_as(self.office, reverse("jobs:list"))
        self.assertContains(mine, f'href="{self.plan.get_absolute_url()}"')
        # the rows are not kept once they are tasks
        self.assertNotIn("rows", job.params)

    def test_the_job_writes_exactly_what_the_request_writes(self):
        self.preview()
        self.confirm()
        job = Job.objects.get()
        self.assertEqual(job.state, Job.State.DONE, job.error)
        in_request_plan = work_plan(self.office, year=2027)
        with self.settings(PLAN_IMPORT_JOB_ROWS=100):
            self.preview(plan=in_request_plan)
            response = self.confirm(plan=in_request_plan)
        self.assertRedirects(response, in_request_plan.get_absolute_url())
        self.assertEqual(Job.objects.count(), 1)
        by_job = sorted(self.plan.tasks.all(), key=lambda t: t.code)
        in_request = sorted(in_request_plan.tasks.all(), key=lambda t: t.code)
        self.assertEqual(len(by_job), 3)
        written = test_import.BulkImportTests.written
        for ours, theirs in zip(by_job, in_request, strict=True):
            with self.subTest(ours.code):
                self.assertEqual(written(self, ours), written(self, theirs))
        self.assertEqual(
            sorted(
                TaskGroupObjectPermission.objects.filter(
                    content_object__plan=self.plan
                ).values_list("group__name", "permission__codename")
            ),
            sorted(
                TaskGroupObjectPermission.objects.filter(
                    content_object__plan=in_request_plan
                ).values_list("group__name", "permission__codename")
            ),
        )

    def test_the_size_decides_the_path(self):
        with self.settings(PLAN_IMPORT_JOB_ROWS=3):
            page = self.preview()
            self.assertNotContains(page, "确认后由后台导入")
            response = self.confirm()
        self.assertRedirects(response, self.plan.get_absolute_url())
        self.assertFalse(Job.objects.exists())
        self.assertEqual(Task.objects.count(), 3)
        other = work_plan(self.office, year=2027)
        self.preview(plan=other)  # 3 rows > 2
        response = self.confirm(plan=other)
        job = Job.objects.get()
        self.assertRedirects(response, job.get_absolute_url())
        self.assertEqual(other.tasks.count(), 3)

    def test_the_same_upload_confirmed_twice_is_imported_once(self):
        self.preview()
        with queued():
            first = self.confirm()
            second = self.confirm()
            self.assertEqual(Job.objects.count(), 1)
            job = Job.objects.get()
            self.assertRedirects(first, job.get_absolute_url())
            self.assertRedirects(
                second, reverse("tasks:plan_import", args=[self.plan.pk])
            )
            # two confirmations that both read the upload before either
            # consumed it (two tabs, a double click) ask for one job
            again = services.job_start(
                owner=self.office,
                kind="plan_import",
                title=job.title,
                params=job.params,
                key=job.key,
            )
            self.assertEqual(again.pk, job.pk)
            self.assertEqual(Job.objects.count(), 1)
            self.assertEqual(drain(), 1)
        self.assertEqual(Task.objects.count(), 3)

    def test_a_failure_midway_writes_nothing_says_why_and_can_be_retried(self):
        self.preview()
        with (
            mock.patch("tasks.plans.notify", side_effect=RuntimeError("boom")),
            self.assertLogs("jobs.services", "ERROR"),
        ):
            self.confirm()  # the tasks are written, then the notice fails
        job = Job.objects.get()
        self.assertEqual(job.state, Job.State.FAILED)
        self.assertFalse(Task.objects.exists())
        self.assertFalse(CoUnit.objects.exists())
        self.assertFalse(TaskEvent.objects.exists())
        self.assertFalse(Task.history.exists())
        self.assertFalse(TaskGroupObjectPermission.objects.exists())
        self.assertEqual(job.result_url, "")
        page = self.get_as(self.office, job.get_absolute_url())
        self.assertContains(page, "未能完成")
        self.assertContains(page, "处理时出错（RuntimeError）")
        self.assertContains(page, "重试")
        self.assertNotContains(page, ">查看结果</a>")
        with self.captureOnCommitCallbacks(execute=True):
            response = self.post_as(self.office, reverse("jobs:retry", args=[job.pk]))
        self.assertRedirects(response, job.get_absolute_url())
        job.refresh_from_db()
        self.assertEqual(job.state, Job.State.DONE, job.error)
        self.assertEqual(Task.objects.filter(plan=self.plan).count(), 3)

    def test_a_unit_gone_before_the_worker_runs_is_told_in_chinese(self):
        self.preview()
        with queued():
            self.confirm()
            Unit.objects.filter(code="czj").update(is_member=False)
            drain()
        job = Job.objects.get()
        self.assertEqual(job.state, Job.State.FAILED)
        self.assertIn("导入失败，未写入任何数据：第2行“配合单位”", job.error)
        self.assertFalse(Task.objects.exists())
        page = self.get_as(self.office, job.get_absolute_url())
        self.assertContains(page, "重试")
        Unit.objects.filter(code="czj").update(is_member=True)
        with self.captureOnCommitCallbacks(execute=True):
            self.post_as(self.office, reverse("jobs:retry", args=[job.pk]))
        job.refresh_from_db()
        self.assertEqual(job.state, Job.State.DONE, job.error)
        self.assertEqual(Task.objects.count(), 3)

    def test_the_owner_is_asked_again_whether_they_may_import(self):
        self.preview()
        with queued():
            self.confirm()
            User.objects.filter(pk=self.office.pk).update(role=User.Role.LIAISON)
            drain()
        job = Job.objects.get()
        self.assertEqual(job.state, Job.State.FAILED)
        self.assertIn("您已无权向其导入任务", job.error)
        self.assertFalse(Task.objects.exists())

    def test_only_the_owner_sees_the_job(self):
        colleague = User.objects.create_user(
            username="office2", role=User.Role.OFFICE, unit=self.office.unit
        )
        self.preview()
        self.confirm()
        job = Job.objects.get()
        for url in (
            job.get_absolute_url(),
            reverse("jobs:progress", args=[job.pk]),
        ):
            self.assertIn(self.get_as(self.office, url).status_code, (200, 286))
            # another office colleague, a leader, a unit: 404
            for person in (colleague, self.leader, self.liaison_a, self.outsider):
                self.assertEqual(self.get_as(person, url).status_code, 404, url)
            self.assertLoginRedirect(self.get_as(None, url))
        self.assertEqual(
            self.post_as(colleague, reverse("jobs:retry", args=[job.pk])).status_code,
            404,
        )
        theirs = self.get_as(colleague, reverse("jobs:list"))
        self.assertNotContains(theirs, job.get_absolute_url())
        # and nobody else confirms the office's upload: theirs is in their session
        self.assertEqual(
            self.post_as(
                self.liaison_a,
                reverse("tasks:plan_import_confirm", args=[self.plan.pk]),
            ).status_code,
            404,
        )

    def test_a_worker_that_died_after_the_import_does_not_import_again(self):
        self.preview()
        self.confirm()
        job = Job.objects.get()
        self.assertEqual(job.state, Job.State.DONE)
        # as if the worker died between the import's commit and marking it done
        Job.objects.filter(pk=job.pk).update(
            state=Job.State.RUNNING,
            lease_until=timezone.now() - timedelta(seconds=1),
        )
        self.assertEqual(services.job_run(job_id=job.pk), "done")
        job.refresh_from_db()
        self.assertEqual(job.state, Job.State.DONE)
        self.assertIn("导入 3 项任务", job.result_text)
        self.assertEqual(Task.objects.count(), 3)
