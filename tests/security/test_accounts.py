"""The system administrator's account pages: create, edit, reset password and
two-factor; each audited, and a created or reset account changes its password
at first sign-in."""

from __future__ import annotations

import re

from django.test import override_settings
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from members.models import User
from security.models import AccountSecurity, AuditEntry
from tests.base import PortalTestCase
from tests.security.helpers import make_admins


def shown_password(response) -> str:
    match = re.search(r"user-select-all[^>]*>([^<]+)<", response.content.decode())
    assert match, response.content.decode()
    return match.group(1).strip()


class AccountPagesTests(PortalTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.admins = make_admins()

    def test_list_searches_and_pages(self) -> None:
        url = reverse("security:accounts")
        page = self.get_as(self.admins["system"], url, data={"q": "liaison_a"})
        text = page.content.decode()
        self.assertIn("liaison_a", text)
        self.assertNotIn("liaison_b", text)
        # session, user, admin role, unread notices, count, page: at two sizes
        with self.assertNumQueries(6):
            self.client.get(url)
        for n in range(40):
            User.objects.create(username=f"extra{n}", unit=self.unit_b)
        with self.assertNumQueries(6):
            self.assertEqual(self.client.get(url, {"page": 2}).status_code, 200)

    def test_create_account_then_first_login_must_change_password(self) -> None:
        response = self.post_as(
            self.admins["system"],
            reverse("security:account_create"),
            {
                "username": "new_liaison",
                "display_name": "新联络员",
                "role": User.Role.LIAISON,
                "unit": self.unit_a.pk,
            },
        )
        self.assertEqual(response.status_code, 200)
        password = shown_password(response)
        user = User.objects.get(username="new_liaison")
        self.assertEqual(user.unit, self.unit_a)
        self.assertTrue(user.groups.filter(pk=self.unit_a.auth_group_id).exists())
        self.assertTrue(AccountSecurity.objects.get(user=user).must_change_password)
        entry = AuditEntry.objects.filter(action="account_create").latest("seq")
        self.assertEqual(entry.username, "t_sysadmin")
        # the holder signs in and is sent to change the password first
        with override_settings(SECURITY_DEMO_EXEMPT=False):
            self.first_login(user, password)

    def first_login(self, user, password: str) -> None:
        self.client.logout()
        response = self.client.post(
            reverse("login"), {"username": "new_liaison", "password": password}
        )
        response = self.client.get(reverse("home"))
        self.assertRedirects(response, reverse("password_change"))
        page = self.client.get(reverse("password_change")).content.decode()
        self.assertIn("请先设置只有您自己知道的新密码", page)
        response = self.client.post(
            reverse("password_change"),
            {
                "old_password": password,
                "new_password1": "Lan-Jintai-2027",
                "new_password2": "Lan-Jintai-2027",
            },
        )
        self.assertRedirects(response, reverse("password_change_done"))
        self.assertEqual(self.client.get(reverse("home")).status_code, 200)
        self.assertFalse(AccountSecurity.objects.get(user=user).must_change_password)

    def test_create_refuses_a_taken_username_and_a_unit_role_without_unit(
        self,
    ) -> None:
        response = self.post_as(
            self.admins["system"],
            reverse("security:account_create"),
            {"username": "LIAISON_A", "display_name": "x", "role": "liaison"},
        )
        text = response.content.decode()
        self.assertIn("用户名 LIAISON_A 已被使用", text)
        self.assertIn("联络员和单位负责同志必须选择所属单位", text)

    def test_edit_role_is_audited_with_before_and_after(self) -> None:
        url = reverse("security:account_edit", args=[self.nobody.pk])
        response = self.post_as(
            self.admins["system"],
            url,
            {
                "display_name": "无角色",
                "role": User.Role.LIAISON,
                "unit": self.unit_b.pk,
                "is_active": "on",
            },
        )
        self.assertRedirects(response, reverse("security:accounts"))
        self.nobody.refresh_from_db()
        self.assertEqual(self.nobody.role, User.Role.LIAISON)
        entry = AuditEntry.objects.filter(action="account_update").latest("seq")
        self.assertEqual(entry.detail["role"], ["", "liaison"])
        self.assertEqual(entry.detail["unit"], ["", "czj"])

    def test_an_admin_account_takes_no_business_role(self) -> None:
        from django.core.exceptions import ValidationError

        from security.services import account_admin_update

        with self.assertRaisesMessage(ValidationError, "不能同时担任业务角色"):
            account_admin_update(
                by=self.admins["system"],
                user=self.admins["audit"],
                display_name="a",
                role=User.Role.OFFICE,
                unit=None,
                email="",
                phone="",
                is_active=True,
            )
        self.admins["audit"].refresh_from_db()
        self.assertEqual(self.admins["audit"].role, "")

    def test_password_reset_is_confirmed_audited_and_forces_a_change(self) -> None:
        url = reverse("security:account_password_reset", args=[self.liaison_b.pk])
        self.assertIn(
            "确认重置密码", self.get_as(self.admins["system"], url).content.decode()
        )
        response = self.post_as(self.admins["system"], url)
        password = shown_password(response)
        self.liaison_b.refresh_from_db()
        self.assertTrue(self.liaison_b.check_password(password))
        self.assertTrue(
            AccountSecurity.objects.get(user=self.liaison_b).must_change_password
        )
        entry = AuditEntry.objects.filter(action="password_reset").latest("seq")
        self.assertIn("liaison_b", entry.object)

    def test_two_factor_reset_is_audited(self) -> None:
        TOTPDevice.objects.create(user=self.office, name="phone", confirmed=True)
        url = reverse("security:account_otp_reset", args=[self.office.pk])
        edit = self.get_as(
            self.admins["system"],
            reverse("security:account_edit", args=[self.office.pk]),
        )
        self.assertIn(url, edit.content.decode())
        response = self.post_as(self.admins["system"], url)
        self.assertRedirects(
            response, reverse("security:account_edit", args=[self.office.pk])
        )
        self.assertFalse(TOTPDevice.objects.filter(user=self.office).exists())
        entry = AuditEntry.objects.filter(action="otp_reset").latest("seq")
        self.assertEqual(entry.username, "t_sysadmin")
        self.assertIn("office", entry.object)

    def test_get_on_actions_changes_nothing(self) -> None:
        TOTPDevice.objects.create(user=self.office, name="phone", confirmed=True)
        self.get_as(
            self.admins["system"],
            reverse("security:account_otp_reset", args=[self.office.pk]),
        )
        self.assertTrue(TOTPDevice.objects.filter(user=self.office).exists())

    def test_admin_site_created_account_must_change_password(self) -> None:
        self.client.force_login(self.admins["system"])
        response = self.client.post(
            reverse("admin:members_user_add"),
            {
                "username": "from_admin",
                "display_name": "后台新建",
                "role": "",
                "password1": "Adm1n-Created!x",
                "password2": "Adm1n-Created!x",
                "usable_password": "true",
            },
        )
        self.assertEqual(response.status_code, 302, response.content.decode()[:3000])
        user = User.objects.get(username="from_admin")
        self.assertTrue(AccountSecurity.objects.get(user=user).must_change_password)
        self.assertTrue(
            AuditEntry.objects.filter(
                action="admin_change", object=f"members.user:{user.pk}"
            ).exists()
        )


class AdminAccountsAreNotTheSystemAdminsTests(PortalTestCase):
    """The system administrator cannot take over another administrator's account
    by resetting its password and two-factor."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.admins = make_admins()

    def test_refused_for_administrators_and_superusers(self) -> None:
        root = User.objects.create_superuser("root_x", password="x")
        for target in (self.admins["security"], self.admins["audit"], root):
            for name in ("account_password_reset", "account_otp_reset"):
                url = reverse(f"security:{name}", args=[target.pk])
                with self.subTest(target=target.username, page=name):
                    self.assertEqual(
                        self.get_as(self.admins["system"], url).status_code, 403
                    )
                    self.assertEqual(
                        self.post_as(self.admins["system"], url).status_code, 403
                    )
            edit = reverse("security:account_edit", args=[target.pk])
            page = self.get_as(self.admins["system"], edit)
            self.assertEqual(page.status_code, 200)
            self.assertIn("须由超级用户在服务器上办理", page.content.decode())
            response = self.post_as(
                self.admins["system"], edit, {"display_name": "x", "is_active": ""}
            )
            self.assertEqual(response.status_code, 403)
            target.refresh_from_db()
            self.assertTrue(target.is_active)
