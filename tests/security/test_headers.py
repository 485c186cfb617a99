"""Headers on every kind of response a signed-in person gets: Cache-Control
private, no-store (pages, htmx requests, PDFs, Excel, evidence, calendar), the
Permissions-Policy, and a csrftoken cookie that lives a working day at most."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from tasks import services as task_services
from tasks.models import Evidence, Task
from tests.base import PortalTestCase
from tests.security.helpers import make_admins
from tests.tasks.factories import issued_decisions, make_task, pdf


class HeaderTests(PortalTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.admins = make_admins()
        task = make_task(by=cls.office, lead=cls.unit_a)
        task_services.task_sign(task=task, by=cls.liaison_a)
        task_services.progress_report_file(
            task=Task.objects.get(pk=task.pk),
            by=cls.liaison_a,
            text="进展",
            percent=10,
            files=[pdf("照片.pdf")],
        )
        cls.task = task
        cls.evidence = Evidence.objects.get()
        cls.minutes = issued_decisions(cls.office, ["开展联合执法"])[0].minutes

    def assertNoStore(self, response, what: str) -> None:
        self.assertEqual(response.status_code, 200, what)
        self.assertEqual(response["Cache-Control"], "private, no-store", what)
        self.assertIn("camera=()", response["Permissions-Policy"], what)

    def test_every_page_type(self) -> None:
        self.client.force_login(self.office)
        cases = {
            "page": (reverse("tasks:list"), {}),
            "htmx request": (reverse("tasks:list"), {"HTTP_HX_REQUEST": "true"}),
            "task page": (self.task.get_absolute_url(), {}),
            "minutes PDF": (
                reverse("meetings:minutes_pdf", args=[self.minutes.pk]),
                {},
            ),
            "ledger PDF": (reverse("tasks:export_pdf"), {}),
            "Excel ledger": (reverse("tasks:export"), {}),
            "evidence": (self.evidence.get_absolute_url(), {}),
            "ICS": (reverse("meetings:calendar"), {}),
        }
        for what, (url, extra) in cases.items():
            with self.subTest(what):
                response = self.client.get(url, **extra)
                self.assertNoStore(response, what)
                if hasattr(response, "streaming_content"):
                    b"".join(response.streaming_content)

    def test_admin_pages_and_audit_export(self) -> None:
        self.client.force_login(self.admins["audit"])
        self.assertNoStore(self.client.get(reverse("security:audit")), "audit")
        self.assertNoStore(
            self.client.get(reverse("security:audit_export")), "audit export"
        )
        self.client.force_login(self.admins["system"])
        self.assertNoStore(self.client.get(reverse("admin:index")), "admin")

    def test_anonymous_pages_keep_the_policy_header(self) -> None:
        self.client.logout()
        response = self.client.get(reverse("login"))
        self.assertIn("no-store", response["Cache-Control"])
        self.assertIn("microphone=()", response["Permissions-Policy"])

    def test_csrf_cookie_lives_a_working_day(self) -> None:
        self.assertLessEqual(settings.CSRF_COOKIE_AGE, 12 * 3600)
        response = self.client.get(reverse("login"))
        cookie = response.cookies[settings.CSRF_COOKIE_NAME]
        self.assertLessEqual(int(cookie["max-age"]), 12 * 3600)
