"""三员分立: the role matrix of the administrators' pages, and how roles are given."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from members.models import User
from security.models import AdminRole, AuditEntry
from security.services import admin_role_grant, admin_role_revoke
from tests.base import PortalTestCase
from tests.security.helpers import make_admins

# page → the one role that may open it
PAGES = {
    "security:accounts": ("system", ()),
    "security:account_create": ("system", ()),
    "security:account_edit": ("system", "account"),
    "security:account_password_reset": ("system", "account"),
    "security:account_otp_reset": ("system", "account"),
    "security:policy": ("security", ()),
    "security:roles": ("security", ()),
    "security:audit": ("audit", ()),
    "security:audit_export": ("audit", ()),
    "security:audit_verify": ("audit", ()),
}


class RoleMatrixTests(PortalTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.admins = make_admins()

    def url(self, name: str, args) -> str:
        if args == "account":
            args = (self.liaison_a.pk,)
        return reverse(name, args=args)

    def test_each_page_opens_for_its_role_only(self) -> None:
        business = [self.office, self.leader, self.liaison_a, self.head_a, self.nobody]
        for name, (role, args) in PAGES.items():
            url = self.url(name, args)
            for other, user in self.admins.items():
                with self.subTest(page=name, role=other):
                    status = self.get_as(user, url).status_code
                    self.assertEqual(status, 200 if other == role else 403)
            for user in business:
                with self.subTest(page=name, user=user.username):
                    self.assertEqual(self.get_as(user, url).status_code, 403)
            with self.subTest(page=name, user="anonymous"):
                self.client.logout()
                self.assertLoginRedirect(self.client.get(url))

    def test_audit_detail_and_role_revoke(self) -> None:
        entry = AuditEntry.objects.order_by("seq").first()
        url = reverse("security:audit_detail", args=[entry.seq])
        self.assertEqual(self.get_as(self.admins["audit"], url).status_code, 200)
        self.assertEqual(self.get_as(self.admins["system"], url).status_code, 403)
        self.assertEqual(self.get_as(self.office, url).status_code, 403)
        missing = reverse("security:audit_detail", args=[10**9])
        self.assertEqual(self.get_as(self.admins["audit"], missing).status_code, 404)
        grant = AdminRole.objects.get(user=self.admins["audit"])
        url = reverse("security:role_revoke", args=[grant.pk])
        self.assertEqual(self.get_as(self.admins["security"], url).status_code, 200)
        self.assertEqual(self.get_as(self.admins["system"], url).status_code, 403)
        self.assertEqual(self.post_as(self.admins["audit"], url).status_code, 403)

    def test_security_home_sends_each_admin_to_their_page(self) -> None:
        url = reverse("security:home")
        for role, target in (
            ("system", "security:accounts"),
            ("security", "security:policy"),
            ("audit", "security:audit"),
        ):
            response = self.get_as(self.admins[role], url)
            self.assertRedirects(response, reverse(target))
        self.assertEqual(self.get_as(self.office, url).status_code, 403)

    def test_menu_shows_the_admins_page(self) -> None:
        self.client.logout()
        from tests.cast import PASSWORD

        self.client.post(
            reverse("login"), {"username": "t_auditadmin", "password": PASSWORD}
        )
        page = self.client.get(reverse("home")).content.decode()
        self.assertIn(reverse("security:audit"), page)
        self.assertNotIn(reverse("security:accounts"), page)

    def test_business_roles_hold_no_admin_role(self) -> None:
        for user in (self.office, self.leader, self.liaison_a):
            self.assertFalse(AdminRole.objects.filter(user=user).exists())
            self.assertFalse(user.is_superuser)
        for admin in self.admins.values():
            self.assertFalse(admin.is_superuser)
            self.assertEqual(admin.role, "")


class RoleGrantTests(PortalTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.admins = make_admins()
        cls.spare = User.objects.create_user(username="spare", password="x")

    def test_security_admin_grants_a_role_in_the_browser_and_it_is_audited(
        self,
    ) -> None:
        response = self.post_as(
            self.admins["security"],
            reverse("security:roles"),
            {"user": self.spare.pk, "role": "audit"},
        )
        self.assertRedirects(response, reverse("security:roles"))
        self.assertEqual(AdminRole.objects.get(user=self.spare).role, "audit")
        entry = AuditEntry.objects.filter(action="role_grant").latest("seq")
        self.assertEqual(entry.username, "t_secadmin")
        self.assertIn("spare", entry.object)
        self.assertEqual(entry.detail["role"], "audit")

    def test_revoke_is_confirmed_and_audited(self) -> None:
        grant = AdminRole.objects.get(user=self.admins["audit"])
        url = reverse("security:role_revoke", args=[grant.pk])
        page = self.get_as(self.admins["security"], url).content.decode()
        self.assertIn("确认撤销", page)
        self.assertTrue(AdminRole.objects.filter(pk=grant.pk).exists())
        self.post_as(self.admins["security"], url)
        self.assertFalse(AdminRole.objects.filter(pk=grant.pk).exists())
        entry = AuditEntry.objects.filter(action="role_revoke").latest("seq")
        self.assertEqual(entry.detail["role"], "audit")

    def test_business_account_cannot_be_an_admin(self) -> None:
        with self.assertRaises(ValidationError):
            admin_role_grant(user=self.office, role="audit", by=self.admins["security"])
        # nor offered in the form
        page = self.get_as(self.admins["security"], reverse("security:roles"))
        self.assertNotIn(f'value="{self.office.pk}"', page.content.decode())

    def test_one_role_per_account_and_none_to_oneself(self) -> None:
        with self.assertRaises(ValidationError):
            admin_role_grant(
                user=self.admins["audit"], role="system", by=self.admins["security"]
            )
        with self.assertRaises(PermissionDenied):
            admin_role_grant(
                user=self.admins["security"], role="audit", by=self.admins["security"]
            )
        grant = AdminRole.objects.get(user=self.admins["security"])
        with self.assertRaises(PermissionDenied):
            admin_role_revoke(grant=grant, by=self.admins["security"])

    def test_system_admin_manages_units_in_the_admin_but_not_the_audit_log(
        self,
    ) -> None:
        admin = User.objects.get(pk=self.admins["system"].pk)
        self.assertTrue(admin.is_staff)
        self.assertTrue(admin.has_perm("members.change_unit"))
        self.assertTrue(admin.has_perm("members.change_user"))
        self.assertFalse(admin.has_perm("security.view_auditentry"))
        self.client.force_login(admin)
        self.assertEqual(
            self.client.get(reverse("admin:members_unit_changelist")).status_code, 200
        )
        self.assertEqual(
            self.client.get(
                reverse("admin:security_auditentry_changelist")
            ).status_code,
            403,
        )
        # the office no longer manages accounts (the system admin does)
        office = User.objects.get(pk=self.office.pk)
        self.assertFalse(office.has_perm("members.change_user"))

    def test_revoking_the_system_role_takes_its_admin_access(self) -> None:
        grant = AdminRole.objects.get(user=self.admins["system"])
        admin_role_revoke(grant=grant, by=self.admins["security"])
        admin = User.objects.get(pk=self.admins["system"].pk)
        self.assertFalse(admin.is_staff)
        self.assertFalse(admin.has_perm("members.change_unit"))
