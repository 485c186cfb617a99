"""Large ledger exports run as jobs: a progress page, then the owner's file."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO
from unittest import mock

from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from jobs import exports, services
from jobs.models import Job
from tests.base import PortalTestCase
from tests.tasks.factories import make_task

from .helpers import drain, queued


@override_settings(EXPORT_INLINE_MAX_ROWS=2)
class LedgerJobTests(PortalTestCase):
    def setUp(self):
        for n in range(3):
            make_task(by=self.office, lead=self.unit_a, title=f"台账任务{n}")

    def start(self, user, name="tasks:export", query=""):
        with self.captureOnCommitCallbacks(execute=True):
            return self.get_as(user, reverse(name) + query)

    def test_large_excel_export_becomes_a_job_with_progress_then_file(self):
        with queued():
            response = self.start(self.office, query="?status=open")
            job = Job.objects.get()
            self.assertRedirects(response, job.get_absolute_url())
            self.assertEqual(job.owner, self.office)
            self.assertEqual(job.state, Job.State.PENDING)
            page = self.get_as(self.office, job.get_absolute_url())
            self.assertContains(page, 'role="progressbar"')
            self.assertContains(page, 'aria-valuenow="0"')
            self.assertContains(page, "排队中")
            self.assertContains(page, 'hx-trigger="every 1s"')
            running = self.get_as(self.office, reverse("jobs:progress", args=[job.pk]))
            self.assertEqual(running.status_code, 200)  # keep polling
            self.assertContains(running, "排队中")
            self.assertNotContains(page, reverse("jobs:download", args=[job.pk]))
            self.assertEqual(drain(), 1)
        job.refresh_from_db()
        self.assertEqual(job.state, Job.State.DONE)
        self.assertEqual(job.progress, 100)
        partial = self.get_as(self.office, reverse("jobs:progress", args=[job.pk]))
        self.assertContains(partial, 'aria-valuenow="100"', status_code=286)
        # 286: htmx stops polling; the page itself no longer polls either
        page = self.get_as(self.office, job.get_absolute_url())
        self.assertNotContains(page, "hx-trigger")
        download = reverse("jobs:download", args=[job.pk])
        self.assertContains(partial, download, status_code=286)
        response = self.get_as(self.office, download)
        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment", response["Content-Disposition"])
        ws = load_workbook(BytesIO(b"".join(response.streaming_content))).active
        codes = [row[1] for row in ws.iter_rows(min_row=3, values_only=True)]
        self.assertEqual(len(codes), 3)
        self.assertIn("状态：未销号", ws.cell(1, 1).value)

    def test_small_export_stays_in_the_request(self):
        response = self.start(self.office, query="?q=台账任务1")
        self.assertEqual(response.status_code, 200)
        self.assertIn("spreadsheetml", response["Content-Type"])
        self.assertFalse(Job.objects.exists())

    def test_large_pdf_export_becomes_a_job(self):
        response = self.start(self.office, "tasks:export_pdf")
        job = Job.objects.get()
        self.assertRedirects(response, job.get_absolute_url())
        job.refresh_from_db()
        self.assertEqual(job.state, Job.State.DONE, job.error)
        self.assertTrue(job.filename.endswith(".pdf"))
        response = self.get_as(self.office, reverse("jobs:download", args=[job.pk]))
        self.assertTrue(b"".join(response.streaming_content).startswith(b"%PDF"))

    def test_a_unit_exports_only_its_own_tasks(self):
        make_task(by=self.office, lead=self.unit_b, title="别的单位的任务")
        self.start(self.liaison_a)
        job = Job.objects.get(owner=self.liaison_a)
        response = self.get_as(self.liaison_a, reverse("jobs:download", args=[job.pk]))
        ws = load_workbook(BytesIO(b"".join(response.streaming_content))).active
        text = " ".join(str(c) for row in ws.iter_rows(values_only=True) for c in row)
        self.assertIn("台账任务0", text)
        self.assertNotIn("别的单位的任务", text)

    def test_permission_matrix(self):
        self.start(self.office)
        job = Job.objects.get()
        urls = [
            reverse("jobs:detail", args=[job.pk]),
            reverse("jobs:progress", args=[job.pk]),
            reverse("jobs:download", args=[job.pk]),
        ]
        for url in urls:
            self.assertIn(self.get_as(self.office, url).status_code, (200, 286))
            # another person's job, even the office's colleague or a leader: 404
            for person in (self.leader, self.deputy, self.liaison_a, self.outsider):
                self.assertEqual(self.get_as(person, url).status_code, 404, url)
            self.assertLoginRedirect(self.get_as(None, url))
        retry = reverse("jobs:retry", args=[job.pk])
        self.assertEqual(self.get_as(self.office, retry).status_code, 405)
        self.assertEqual(self.post_as(self.liaison_a, retry).status_code, 404)
        self.assertLoginRedirect(self.post_as(None, retry))
        mine = self.get_as(self.office, reverse("jobs:list"))
        self.assertContains(mine, job.title)
        theirs = self.get_as(self.liaison_a, reverse("jobs:list"))
        self.assertNotContains(theirs, job.get_absolute_url())

    def test_failure_is_told_in_chinese_and_can_be_retried(self):
        def broken(job, progress):
            progress(40, "写入")
            raise OSError("disk full")

        with mock.patch.dict(exports.RUNNERS, {"task_ledger_xlsx": broken}):
            self.start(self.office)
        job = Job.objects.get()
        self.assertEqual(job.state, Job.State.FAILED)
        page = self.get_as(self.office, job.get_absolute_url())
        self.assertContains(page, "生成失败")
        self.assertContains(page, "生成文件时出错（OSError）")
        self.assertContains(page, "重试")
        self.assertNotContains(page, 'role="progressbar"')
        with self.captureOnCommitCallbacks(execute=True):
            response = self.post_as(self.office, reverse("jobs:retry", args=[job.pk]))
        self.assertRedirects(response, job.get_absolute_url())
        job.refresh_from_db()
        self.assertEqual(job.state, Job.State.DONE)
        self.assertEqual(job.error, "")
        self.assertEqual(
            self.get_as(
                self.office, reverse("jobs:download", args=[job.pk])
            ).status_code,
            200,
        )

    def test_no_file_before_it_is_done(self):
        with queued():
            self.start(self.office)
        job = Job.objects.get()
        url = reverse("jobs:download", args=[job.pk])
        self.assertEqual(self.get_as(self.office, url).status_code, 404)


class LostJobTests(PortalTestCase):
    def job(self, **fields) -> Job:
        make_task(by=self.office, lead=self.unit_a)
        return Job.objects.create(
            owner=self.office,
            kind="task_ledger_xlsx",
            title="督办台账",
            params={"query": "", "lang": "zh-hans"},
            **fields,
        )

    def test_a_job_whose_worker_died_is_run_again(self):
        job = self.job(
            state=Job.State.RUNNING,
            attempts=1,
            progress=40,
            lease_until=timezone.now() - timedelta(seconds=1),
        )
        # a duplicate message while the lease holds is ignored
        Job.objects.filter(pk=job.pk).update(
            lease_until=timezone.now() + timedelta(minutes=5)
        )
        self.assertEqual(services.job_run(job_id=job.pk), "skip")
        Job.objects.filter(pk=job.pk).update(
            lease_until=timezone.now() - timedelta(seconds=1)
        )
        with queued():
            self.assertEqual(services.sweep()["jobs"], 1)
            self.assertEqual(drain(), 1)
        job.refresh_from_db()
        self.assertEqual(job.state, Job.State.DONE)
        self.assertEqual(job.attempts, 2)
        self.assertEqual(services.job_run(job_id=job.pk), "skip")

    def test_a_job_lost_before_it_started_is_enqueued_again(self):
        job = self.job(enqueued_at=timezone.now() - timedelta(minutes=10))
        with queued():
            self.assertEqual(services.sweep()["jobs"], 1)
            self.assertEqual(drain(), 1)
        job.refresh_from_db()
        self.assertEqual(job.state, Job.State.DONE)

    def test_a_job_that_keeps_dying_fails_with_a_reason(self):
        job = self.job(
            state=Job.State.RUNNING,
            attempts=services.JOB_MAX_ATTEMPTS,
            lease_until=timezone.now() - timedelta(seconds=1),
        )
        counts = services.sweep()
        self.assertEqual(counts["jobs_failed"], 1)
        job.refresh_from_db()
        self.assertEqual(job.state, Job.State.FAILED)
        self.assertIn("中断", job.error)

    def test_old_files_are_deleted(self):
        job = self.job()
        services.job_run(job_id=job.pk)
        job.refresh_from_db()
        path = job.file.path
        Job.objects.filter(pk=job.pk).update(
            finished_at=timezone.now() - timedelta(days=8)
        )
        self.assertEqual(services.sweep()["files_deleted"], 1)
        self.assertFalse(Job.objects.filter(pk=job.pk).exists())
        import os

        self.assertFalse(os.path.exists(path))


class JobListTests(PortalTestCase):
    def make_jobs(self, n: int) -> None:
        Job.objects.bulk_create(
            Job(
                owner=self.office,
                kind="task_ledger_xlsx",
                title=f"台账{i}",
                state="done",
            )
            for i in range(n)
        )

    def test_queries_do_not_grow_and_only_own_jobs(self):
        Job.objects.create(
            owner=self.liaison_a, kind="task_ledger_xlsx", title="别人的"
        )
        self.make_jobs(2)
        self.login(self.office)
        self.client.get(reverse("jobs:list"))
        with self.assertNumQueries(5) as small:
            self.client.get(reverse("jobs:list"))
        self.make_jobs(50)
        with self.assertNumQueries(len(small.captured_queries)):
            response = self.client.get(reverse("jobs:list"))
        self.assertContains(response, "下一页")
        self.assertNotContains(response, "别人的")
        self.assertLoginRedirect(self.get_as(None, reverse("jobs:list")))
        self.assertEqual(
            self.post_as(self.office, reverse("jobs:list")).status_code, 405
        )


class BulletinJobTests(PortalTestCase):
    def test_bulletin_pdf_is_a_job_and_a_discarded_draft_fails_in_chinese(self):
        from oversight import services as bulletins

        draft = bulletins.bulletin_draft(
            period="month", year=2026, index=10, by=self.office
        )
        response = self.get_as(
            self.office, reverse("dashboard:bulletin_pdf", args=[draft.pk])
        )
        job = Job.objects.get(kind="bulletin_pdf")
        self.assertRedirects(response, job.get_absolute_url())
        self.assertEqual(job.params["bulletin"], draft.pk)
        # a unit's liaison may not see the draft: no job for them
        self.assertEqual(
            self.get_as(
                self.liaison_a, reverse("dashboard:bulletin_pdf", args=[draft.pk])
            ).status_code,
            404,
        )
        bulletins.bulletin_discard(bulletin=draft, by=self.office)
        self.assertEqual(services.job_run(job_id=job.pk), "failed")
        page = self.get_as(self.office, job.get_absolute_url())
        self.assertContains(page, "这份通报已不存在，或您已无权查看")
        self.assertContains(page, "重试")


class ReuseTests(PortalTestCase):
    def start(self, owner, query="a"):
        return services.job_start(
            owner=owner,
            kind="task_ledger_xlsx",
            title="督办台账",
            params={"query": query},
            reuse=True,
        )

    def test_only_the_owners_active_job_of_the_same_params_is_re_used(self):
        first = self.start(self.office)
        self.assertEqual(self.start(self.office), first)
        Job.objects.filter(pk=first.pk).update(state=Job.State.RUNNING)
        self.assertEqual(self.start(self.office), first)
        self.assertNotEqual(self.start(self.office, query="b"), first)
        self.assertNotEqual(self.start(self.leader), first)
        Job.objects.filter(pk=first.pk).update(state=Job.State.DONE)
        self.assertNotEqual(self.start(self.office), first)
        # without reuse, every press is a job of its own
        services.job_start(
            owner=self.office, kind="task_ledger_xlsx", title="x", params={"query": "a"}
        )
        self.assertEqual(Job.objects.filter(owner=self.office).count(), 4)
