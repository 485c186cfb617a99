"""Security audit log: logins, refusals and exports go to logger jinwei_ip.audit."""

from __future__ import annotations

from django.conf import settings
from django.test import RequestFactory
from django.urls import reverse

from jinwei_ip.lib.audit import export_event, log_event
from members.models import Position
from tests.base import PortalTestCase
from tests.cast import PASSWORD


class AuditLogTests(PortalTestCase):
    def test_the_middleware_is_installed_after_authentication(self) -> None:
        middleware = list(settings.MIDDLEWARE)
        self.assertIn("jinwei_ip.lib.audit.AuditMiddleware", middleware)
        self.assertGreater(
            middleware.index("jinwei_ip.lib.audit.AuditMiddleware"),
            middleware.index("django.contrib.auth.middleware.AuthenticationMiddleware"),
        )

    def test_login_success_and_failure(self) -> None:
        url = reverse("login")
        with self.assertLogs("jinwei_ip.audit", "INFO") as logs:
            self.client.post(
                url,
                {"username": "liaison_a", "password": "wrong"},
                REMOTE_ADDR="10.1.1.1",
            )
            response = self.client.post(
                url,
                {"username": "liaison_a", "password": PASSWORD},
                REMOTE_ADDR="10.1.1.1",
            )
        self.assertEqual(response.status_code, 302)
        failed = [line for line in logs.output if "login_failed" in line]
        self.assertEqual(len(failed), 1)
        self.assertIn("attempted=liaison_a", failed[0])
        self.assertIn("ip=10.1.1.1", failed[0])
        self.assertTrue(failed[0].startswith("WARNING"))
        ok = [line for line in logs.output if ":login user=" in line]
        self.assertEqual(len(ok), 1)
        self.assertIn("user=liaison_a", ok[0])

    def test_logout_logged(self) -> None:
        self.client.force_login(self.office)
        with self.assertLogs("jinwei_ip.audit", "INFO") as logs:
            self.client.post(reverse("logout"))
        self.assertTrue(any("logout user=office" in line for line in logs.output))

    def test_forbidden_action_logged(self) -> None:
        position = Position.objects.filter(kind=Position.Kind.MEMBER).first()
        url = reverse("members:position_assign", args=[position.pk])
        self.client.force_login(self.liaison_a)
        with self.assertLogs("jinwei_ip.audit", "WARNING") as logs:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 403)
        self.assertIn("permission_denied", logs.output[0])
        self.assertIn("user=liaison_a", logs.output[0])
        self.assertIn(f"path={url}", logs.output[0])

    def test_hidden_object_logged_for_signed_in_people(self) -> None:
        url = reverse("members:unit_people", args=[self.unit_b.code])
        self.client.force_login(self.liaison_a)
        with self.assertLogs("jinwei_ip.audit", "INFO") as logs:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 404)
        self.assertIn("not_found", logs.output[0])
        self.assertIn("user=liaison_a", logs.output[0])

    def test_allowed_page_not_logged(self) -> None:
        self.client.force_login(self.office)
        with self.assertNoLogs("jinwei_ip.audit", "INFO"):
            response = self.client.get(reverse("members:group"))
        self.assertEqual(response.status_code, 200)

    def test_export_event(self) -> None:
        request = RequestFactory().get("/tasks/export.xlsx", REMOTE_ADDR="10.9.9.9")
        request.user = self.office
        with self.assertLogs("jinwei_ip.audit", "INFO") as logs:
            data = export_event(request, "task_ledger_xlsx", self.unit_a, rows=12)
        self.assertEqual(data["what"], "task_ledger_xlsx")
        line = logs.output[0]
        self.assertIn("export user=office", line)
        self.assertIn("what=task_ledger_xlsx", line)
        self.assertIn(f"object=members.unit:{self.unit_a.pk}", line)
        self.assertIn("rows=12", line)
        self.assertEqual(logs.records[0].audit["ip"], "10.9.9.9")

    def test_values_cannot_forge_lines(self) -> None:
        with self.assertLogs("jinwei_ip.audit", "INFO") as logs:
            log_event(None, "login_failed", attempted='x\nlogin user=office "')
        self.assertEqual(len(logs.records), 1)
        self.assertNotIn("\n", logs.records[0].getMessage())
        self.assertIn('attempted="x\\nlogin user=office \\""', logs.output[0])
