"""The audit log as data: a row for each audited event, the audit admin's page
and export, append-only, a hash chain that names the first tampered entry, and
retention."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO, StringIO

from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from security.audit import record, verify_chain
from security.models import AuditEntry
from tasks import services as task_services
from tasks.models import Evidence, Task
from tests.base import PortalTestCase
from tests.cast import PASSWORD
from tests.security.helpers import make_admins
from tests.tasks.factories import issued_decisions, make_task, pdf


def last(action: str) -> AuditEntry:
    return AuditEntry.objects.filter(action=action).latest("seq")


class AuditEventsTests(PortalTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.admins = make_admins()

    def test_login_logout_and_failure(self) -> None:
        self.client.post(
            reverse("login"),
            {"username": "liaison_a", "password": PASSWORD},
            REMOTE_ADDR="10.9.0.1",
        )
        entry = last("login")
        self.assertEqual(
            (entry.username, entry.ip, entry.result),
            ("liaison_a", "10.9.0.1", "success"),
        )
        self.client.post(reverse("logout"))
        self.assertEqual(last("logout").username, "liaison_a")
        self.client.post(
            reverse("login"), {"username": "liaison_a", "password": "wrong"}
        )
        failed = last("login_failed")
        self.assertEqual((failed.username, failed.result), ("liaison_a", "failure"))

    def test_lockout(self) -> None:
        from security.policy import current_policy

        for _ in range(current_policy().lockout_failures):
            self.client.post(
                reverse("login"),
                {"username": "outsider", "password": "wrong"},
                REMOTE_ADDR="10.9.0.2",
            )
        entry = last("login_locked_out")
        self.assertEqual((entry.username, entry.ip), ("outsider", "10.9.0.2"))

    def test_permission_denied(self) -> None:
        self.get_as(self.liaison_a, reverse("security:audit"))
        entry = last("permission_denied")
        self.assertEqual(
            (entry.username, entry.path, entry.result),
            ("liaison_a", reverse("security:audit"), "denied"),
        )

    def test_exports_and_downloads(self) -> None:
        task = make_task(by=self.office, lead=self.unit_a)
        task_services.task_sign(task=task, by=self.liaison_a)
        task_services.progress_report_file(
            task=Task.objects.get(pk=task.pk),
            by=self.liaison_a,
            text="进展",
            percent=10,
            files=[pdf("照片.pdf")],
        )
        evidence = Evidence.objects.get()
        minutes = issued_decisions(self.office, ["开展联合执法"])[0].minutes
        self.client.force_login(self.office)
        self.client.get(reverse("tasks:export"))
        response = self.client.get(evidence.get_absolute_url())
        b"".join(response.streaming_content)
        self.client.get(reverse("meetings:minutes_pdf", args=[minutes.pk]))
        self.client.get(reverse("tasks:export_pdf"))
        rows = AuditEntry.objects.filter(action="export").order_by("seq")
        objects = [e.object for e in rows]
        self.assertEqual(objects[0], "task_ledger_xlsx")
        self.assertEqual(objects[1], f"evidence tasks.evidence:{evidence.pk}")
        self.assertTrue(objects[2].startswith("minutes_pdf"))
        self.assertTrue(objects[3].startswith("task_ledger_pdf"), objects)
        self.assertTrue(all(e.username == "office" for e in rows))

    def test_admin_change(self) -> None:
        self.client.force_login(self.admins["system"])
        unit = self.unit_out
        self.client.post(
            reverse("admin:members_person_add"),
            {"name": "新人员", "unit": unit.pk, "job_title": "", "phone": ""},
            REMOTE_ADDR="10.9.0.3",
        )
        entry = last("admin_change")
        self.assertEqual(entry.username, "t_sysadmin")
        self.assertEqual(entry.detail["change"], "add")
        self.assertTrue(entry.object.startswith("members.person:"))
        self.assertEqual(entry.ip, "10.9.0.3")

    def test_security_setting_change(self) -> None:
        from security.models import SecurityPolicy

        values = SecurityPolicy.objects.get_or_create(pk=1)[0].values()
        data = {k: v for k, v in values.items() if v is not False}
        data["password_max_age_days"] = 60
        response = self.post_as(
            self.admins["security"], reverse("security:policy"), data
        )
        self.assertRedirects(response, reverse("security:policy"))
        self.assertEqual(SecurityPolicy.objects.get().password_max_age_days, 60)
        entry = last("policy_change")
        self.assertEqual(entry.detail["password_max_age_days"], [90, 60])
        self.assertEqual(entry.username, "t_secadmin")

    def test_policy_form_refuses_bad_values_in_chinese(self) -> None:
        from security.models import SecurityPolicy

        data = SecurityPolicy.objects.get_or_create(pk=1)[0].values()
        data.update(
            password_min_length=6, lockout_minutes_2=1, session_idle_minutes=999
        )
        response = self.post_as(
            self.admins["security"], reverse("security:policy"), data
        )
        text = response.content.decode()
        self.assertIn("锁定时长应逐级不减", text)
        self.assertIn("8", text)
        self.assertEqual(SecurityPolicy.objects.get().password_min_length, 8)


class AuditPageTests(PortalTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.admins = make_admins()
        for n in range(35):
            record(action="login", username=f"user{n}", ip="10.1.1.1")
        record(action="login_failed", username="=HYPERLINK(1)", ip="10.6.6.6")

    def test_filters_and_pagination(self) -> None:
        url = reverse("security:audit")
        self.client.force_login(self.admins["audit"])
        text = self.client.get(url, {"action": "login_failed"}).content.decode()
        self.assertIn("=HYPERLINK(1)", text)
        self.assertNotIn("user3<", text)
        text = self.client.get(url, {"q": "user12"}).content.decode()
        self.assertIn("user12", text)
        self.assertNotIn("user13", text)
        text = self.client.get(url, {"page": 2}).content.decode()
        self.assertIn("第 2 /", text)
        bad = self.client.get(url, {"since": "2026-05-02", "until": "2026-05-01"})
        self.assertIn("截止日期不能早于起始日期", bad.content.decode())

    def test_constant_queries(self) -> None:
        url = reverse("security:audit")
        self.client.force_login(self.admins["audit"])
        self.client.get(url)
        with self.assertNumQueries(6):
            self.client.get(url)
        for n in range(50):
            record(action="logout", username=f"more{n}")
        with self.assertNumQueries(6):
            self.client.get(url, {"page": 2})

    def test_excel_export_is_formula_safe_and_audited(self) -> None:
        self.client.force_login(self.admins["audit"])
        response = self.client.get(
            reverse("security:audit_export"), {"action": "login_failed"}
        )
        self.assertEqual(response.status_code, 200)
        sheet = load_workbook(BytesIO(response.content)).active
        values = [c.value for row in sheet.iter_rows() for c in row]
        self.assertIn("'=HYPERLINK(1)", values)
        self.assertNotIn("=HYPERLINK(1)", values)
        self.assertIn("登录失败", values)
        self.assertEqual(last("audit_export").detail["count"], 1)

    def test_no_one_edits_or_deletes_in_the_admin(self) -> None:
        from django.contrib.admin import site

        from members.models import User

        admin = site._registry[AuditEntry]
        superuser = User.objects.create_superuser("root_t", password="x")
        request = type("R", (), {"user": superuser})()
        self.assertFalse(admin.has_add_permission(request))
        self.assertFalse(admin.has_change_permission(request))
        self.assertFalse(admin.has_delete_permission(request))
        self.client.force_login(superuser)
        entry = AuditEntry.objects.first()
        url = reverse("admin:security_auditentry_delete", args=[entry.pk])
        self.assertEqual(self.client.post(url, {"post": "yes"}).status_code, 403)
        self.assertTrue(AuditEntry.objects.filter(pk=entry.pk).exists())
        page = self.client.get(
            reverse("admin:security_auditentry_change", args=[entry.pk])
        )
        self.assertEqual(page.status_code, 200)
        self.assertNotIn('name="_save"', page.content.decode())


class ChainTests(PortalTestCase):
    def setUp(self) -> None:
        for n in range(5):
            record(action="login", username=f"chain{n}")

    def run_verify(self) -> str:
        out = StringIO()
        call_command("audit_verify", stdout=out)
        return out.getvalue()

    def test_intact_chain_verifies(self) -> None:
        self.assertIn("校验通过", self.run_verify())
        self.assertIsNone(verify_chain()[1])

    def test_changed_row_is_named(self) -> None:
        victim = AuditEntry.objects.get(username="chain2")
        AuditEntry.objects.filter(pk=victim.pk).update(username="someone")
        with self.assertRaisesMessage(CommandError, f"第 {victim.seq} 条"):
            self.run_verify()

    def test_rehashed_row_breaks_the_next_link(self) -> None:
        victim = AuditEntry.objects.get(username="chain2")
        victim.username = "someone"
        victim.hash = victim.compute_hash()
        victim.save()
        _checked, broken = verify_chain()
        self.assertEqual(broken.seq, victim.seq + 1)

    def test_removed_row_is_found(self) -> None:
        victim = AuditEntry.objects.get(username="chain3")
        AuditEntry.objects.filter(pk=victim.pk).delete()
        self.assertEqual(verify_chain()[1].seq, victim.seq)
        last_entry = AuditEntry.objects.order_by("-seq").first()
        AuditEntry.objects.filter(pk=last_entry.pk).delete()
        self.assertIsNotNone(verify_chain()[1])

    def test_removed_last_row_is_found(self) -> None:
        last_entry = AuditEntry.objects.order_by("-seq").first()
        AuditEntry.objects.filter(pk=last_entry.pk).delete()
        self.assertEqual(verify_chain()[1].seq, last_entry.seq)

    def test_the_audit_admins_page_shows_the_break(self) -> None:
        from tests.security.helpers import make_admins

        admins = make_admins()
        victim = AuditEntry.objects.get(username="chain1")
        AuditEntry.objects.filter(pk=victim.pk).update(ip="1.2.3.4")
        self.client.force_login(admins["audit"])
        text = self.client.get(reverse("security:audit_verify")).content.decode()
        self.assertIn(f"第 {victim.seq} 条记录起哈希链断裂", text)

    def test_purge_refuses_entries_younger_than_180_days(self) -> None:
        day = timezone.localdate() - timedelta(days=100)
        with self.assertRaisesMessage(CommandError, "至少保留 180 天"):
            call_command("audit_purge", "--before", day.isoformat())
        self.assertEqual(
            AuditEntry.objects.filter(username__startswith="chain").count(), 5
        )

    @override_settings(AUDIT_RETENTION_DAYS=30)
    def test_retention_cannot_be_set_below_180(self) -> None:
        day = timezone.localdate() - timedelta(days=100)
        with self.assertRaises(CommandError):
            call_command("audit_purge", "--before", day.isoformat())

    def test_purge_of_old_entries_keeps_a_valid_chain(self) -> None:
        old = timezone.now() - timedelta(days=400)
        first_two = AuditEntry.objects.order_by("seq")[:2]
        for entry in first_two:
            # written long ago (hash recomputed as if it had been)
            entry.created_at = old
            entry.hash = ""
        # rebuild the chain so these rows are genuinely old and valid
        previous_hash = None
        for entry in AuditEntry.objects.order_by("seq"):
            if entry.pk in {e.pk for e in first_two}:
                entry.created_at = old
            if previous_hash is not None:
                entry.prev_hash = previous_hash
            entry.hash = entry.compute_hash()
            entry.save()
            previous_hash = entry.hash
        from security.models import AuditChainHead

        AuditChainHead.objects.filter(pk=1).update(last_hash=previous_hash)
        self.assertIsNone(verify_chain()[1])
        day = timezone.localdate() - timedelta(days=200)
        out = StringIO()
        call_command("audit_purge", "--before", day.isoformat(), stdout=out)
        self.assertIn("已清理", out.getvalue())
        self.assertFalse(
            AuditEntry.objects.filter(created_at__lt=old + timedelta(days=1)).exists()
        )
        self.assertIsNone(verify_chain()[1])
        self.assertEqual(last("audit_purge").detail["deleted"], 2)

    def test_bad_date(self) -> None:
        with self.assertRaisesMessage(CommandError, "日期格式应为"):
            call_command("audit_purge", "--before", "yesterday")
