"""The hardening is wired into the portal, not only written: every expensive
endpoint carries its rate limit, and what hands out data is in the audit log.

(The limiter and the log themselves are tested in test_ratelimit.py and
test_audit.py, on views of their own.)"""

from __future__ import annotations

from datetime import date

from django.test import override_settings
from django.urls import resolve, reverse

from oversight import services as oversight_services
from tasks import services
from tasks.models import Evidence, Task
from tests.base import PortalTestCase
from tests.tasks.factories import issued_decisions, make_task, pdf

LIMITED = {
    # url name, args → the rate-limit group its view counts in
    ("tasks:export", ()): "export",
    ("tasks:export_pdf", ()): "pdf",
    ("tasks:plan_import", (1,)): "import",
    ("tasks:plan_import_confirm", (1,)): "import",
    ("dashboard:bulletin_pdf", (1,)): "pdf",
    ("meetings:minutes_pdf", (1,)): "pdf",
    ("meetings:calendar", ()): "export",
}


class RateLimitWiringTests(PortalTestCase):
    def test_every_expensive_endpoint_is_limited(self):
        for (name, args), group in LIMITED.items():
            with self.subTest(name):
                view = resolve(reverse(name, args=args)).func
                self.assertEqual(getattr(view, "ratelimit_group", None), group)

    @override_settings(RATELIMIT_RATES={"export": "2/m"})
    def test_the_excel_ledger_answers_429_over_the_limit(self):
        self.client.force_login(self.office)
        url = reverse("tasks:export")
        self.assertEqual(self.client.get(url).status_code, 200)
        self.assertEqual(self.client.get(url).status_code, 200)
        response = self.client.get(url)
        self.assertEqual(response.status_code, 429)
        self.assertIn("操作过于频繁", response.content.decode())
        # one person's limit, not everyone's
        self.client.force_login(self.leader)
        self.assertEqual(self.client.get(url).status_code, 200)


class AuditWiringTests(PortalTestCase):
    def exports(self, logs) -> list[str]:
        return [line for line in logs.output if ":jinwei_ip.audit:export " in line]

    def test_downloads_are_logged(self):
        task = make_task(by=self.office, lead=self.unit_a)
        services.task_sign(task=task, by=self.liaison_a)
        services.progress_report_file(
            task=Task.objects.get(pk=task.pk),
            by=self.liaison_a,
            text="进展",
            percent=10,
            files=[pdf("照片.pdf")],
        )
        evidence = Evidence.objects.get()
        self.client.force_login(self.office)
        with self.assertLogs("jinwei_ip.audit", "INFO") as logs:
            self.assertEqual(self.client.get(reverse("tasks:export")).status_code, 200)
            response = self.client.get(evidence.get_absolute_url())
            self.assertEqual(response.status_code, 200)
            b"".join(response.streaming_content)
        lines = self.exports(logs)
        self.assertEqual(len(lines), 2, logs.output)
        self.assertIn("what=task_ledger_xlsx", lines[0])
        self.assertIn("count=1", lines[0])
        self.assertIn("what=evidence", lines[1])
        self.assertIn(f"object=tasks.evidence:{evidence.pk}", lines[1])

    def test_minutes_and_bulletin_pdfs_and_the_calendar_are_logged(self):
        minutes = issued_decisions(self.office, ["开展联合执法"])[0].minutes
        bulletin = oversight_services.bulletin_draft(
            period="month", year=2026, index=10, by=self.office, day=date(2026, 11, 5)
        )
        self.client.force_login(self.office)
        with self.assertLogs("jinwei_ip.audit", "INFO") as logs:
            url = reverse("meetings:minutes_pdf", args=[minutes.pk])
            self.assertEqual(self.client.get(url).status_code, 200)
            url = reverse("dashboard:bulletin_pdf", args=[bulletin.pk])
            self.assertEqual(self.client.get(url).status_code, 200)
            self.assertEqual(
                self.client.get(reverse("meetings:calendar")).status_code, 200
            )
        whats = [line.split("what=")[1].split()[0] for line in self.exports(logs)]
        self.assertEqual(whats, ["minutes_pdf", "bulletin_pdf", "meetings_ics"])

    def test_refusals_are_logged(self):
        task = make_task(by=self.office, lead=self.unit_a)
        with self.assertLogs("jinwei_ip.audit", "INFO") as logs:
            # another unit's task: 404; an office page for a unit: 403
            self.assertEqual(
                self.get_as(self.liaison_b, task.get_absolute_url()).status_code, 404
            )
            self.assertEqual(
                self.post_as(
                    self.liaison_a, reverse("tasks:close", args=[task.pk])
                ).status_code,
                403,
            )
        events = [line.split(":")[2].split()[0] for line in logs.output]
        self.assertIn("not_found", events)
        self.assertIn("permission_denied", events)
        denied = next(line for line in logs.output if "permission_denied" in line)
        self.assertIn("user=liaison_a", denied)
        self.assertIn(f"path=/tasks/{task.pk}/close/", denied)


class FaviconTests(PortalTestCase):
    def test_every_page_names_its_icon(self):
        from django.contrib.staticfiles import finders

        self.assertIsNotNone(finders.find("favicon.svg"))
        for user in (None, self.liaison_a):
            page = self.get_as(user, reverse("login") if user is None else "/")
            self.assertContains(page, 'rel="icon"')
            self.assertContains(page, "favicon.svg")
