"""Two-factor sign-in (TOTP, django-otp): required for the administrators, the
office and leaders, optional for units; enrolment with a QR code, recovery codes."""

from __future__ import annotations

import re
from base64 import b32decode

from django.test import override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from security.models import AuditEntry
from security.services import requires_two_factor
from tests.base import PortalTestCase
from tests.cast import PASSWORD
from tests.security.helpers import make_admins


def code_for(device: TOTPDevice, offset: int = 0) -> str:
    device.refresh_from_db()
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset):06d}"


# django-otp's back-off after a wrong code (1 s, doubling) is left out so one
# test can send a wrong code and then the right one at once.
@override_settings(
    SECURITY_DEMO_EXEMPT=False,
    OTP_TOTP_THROTTLE_FACTOR=0,
    OTP_STATIC_THROTTLE_FACTOR=0,
)
class TwoFactorTests(PortalTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.admins = make_admins()

    def sign_in(self, user):
        self.client.logout()
        return self.client.post(
            reverse("login"), {"username": user.username, "password": PASSWORD}
        )

    def test_who_must_use_it(self) -> None:
        for user in (self.office, self.leader, *self.admins.values()):
            self.assertTrue(requires_two_factor(user), user.username)
        for user in (self.liaison_a, self.head_a, self.nobody):
            self.assertFalse(requires_two_factor(user), user.username)

    def test_a_unit_account_signs_in_with_its_password_alone(self) -> None:
        self.sign_in(self.liaison_a)
        self.assertEqual(self.client.get(reverse("home")).status_code, 200)

    def test_office_enrols_at_first_sign_in_then_signs_in_with_a_code(self) -> None:
        self.sign_in(self.office)
        response = self.client.get(reverse("tasks:list"))
        self.assertRedirects(response, reverse("security:otp_enrol"))
        page = self.client.get(reverse("security:otp_enrol")).content.decode()
        self.assertIn("请先完成绑定", page)
        key = re.search(r'id="otp-key">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
        device = TOTPDevice.objects.get(user=self.office, confirmed=False)
        self.assertEqual(b32decode(key), device.bin_key)
        qr = self.client.get(reverse("security:otp_qr"))
        self.assertEqual(qr["Content-Type"], "image/svg+xml")
        self.assertIn(b"<svg", qr.content)
        # a wrong code is refused in Chinese
        response = self.client.post(reverse("security:otp_enrol"), {"token": "000000"})
        self.assertIn("验证码不正确", response.content.decode())
        response = self.client.post(
            reverse("security:otp_enrol"), {"token": code_for(device)}
        )
        self.assertContains(response, "绑定成功")
        codes = re.findall(r'<li class="col">(\w+)</li>', response.content.decode())
        self.assertEqual(len(codes), 10)
        self.assertEqual(self.client.get(reverse("tasks:list")).status_code, 200)
        self.assertTrue(AuditEntry.objects.filter(action="otp_enrolled").exists())

        # next sign-in: the password, then the code
        self.sign_in(self.office)
        target = reverse("tasks:list")
        response = self.client.get(target)
        self.assertRedirects(
            response, f"{reverse('security:otp_verify')}?next={target}"
        )
        response = self.client.post(
            reverse("security:otp_verify"), {"token": "123456", "next": target}
        )
        self.assertIn("验证码不正确或已使用", response.content.decode())
        self.assertTrue(AuditEntry.objects.filter(action="otp_failed").exists())
        response = self.client.post(
            reverse("security:otp_verify"),
            {"token": code_for(device, offset=1), "next": target},
        )
        self.assertRedirects(response, target)
        self.assertEqual(self.client.get(target).status_code, 200)
        self.assertTrue(
            AuditEntry.objects.filter(action="otp_verified", username="office").exists()
        )

        # a recovery code works once
        self.sign_in(self.office)
        self.client.post(reverse("security:otp_verify"), {"token": codes[0]})
        self.assertEqual(self.client.get(target).status_code, 200)
        self.sign_in(self.office)
        response = self.client.post(reverse("security:otp_verify"), {"token": codes[0]})
        self.assertEqual(response.status_code, 200)
        self.assertRedirects(
            self.client.get(target), f"{reverse('security:otp_verify')}?next={target}"
        )

    def test_before_the_code_nothing_else_opens(self) -> None:
        TOTPDevice.objects.create(user=self.leader, name="phone", confirmed=True)
        self.sign_in(self.leader)
        for url in (
            reverse("home"),
            reverse("tasks:export"),
            reverse("security:otp_recovery"),
            reverse("security:otp_enrol"),
        ):
            response = self.client.get(url)
            self.assertEqual(response.status_code, 302, url)
            self.assertIn(reverse("security:otp_verify"), response["Location"])
        self.assertEqual(self.client.get(reverse("security:otp_qr")).status_code, 403)

    def test_verify_refuses_an_outside_next(self) -> None:
        device = TOTPDevice.objects.create(user=self.leader, name="p", confirmed=True)
        self.sign_in(self.leader)
        response = self.client.post(
            reverse("security:otp_verify"),
            {"token": code_for(device), "next": "https://evil.example/"},
        )
        self.assertRedirects(response, reverse("home"), fetch_redirect_response=False)

    def test_new_recovery_codes_replace_the_old(self) -> None:
        self.client.force_login(self.head_a)  # optional for units: enrols by choice
        device = TOTPDevice.objects.create(user=self.head_a, name="p", confirmed=True)
        page = self.client.get(reverse("security:otp_recovery"))
        self.assertIn("原有恢复码全部失效", page.content.decode())
        response = self.client.post(reverse("security:otp_recovery"))
        codes = re.findall(r'<li class="col">(\w+)</li>', response.content.decode())
        self.assertEqual(len(codes), 10)
        self.assertEqual(
            StaticToken.objects.filter(device__user=self.head_a).count(), 10
        )
        self.assertTrue(device.confirmed)
        status = self.client.get(reverse("security:otp_status")).content.decode()
        self.assertIn("剩余恢复码：10 个", status)

    def test_units_may_skip_it_when_policy_says_optional(self) -> None:
        self.sign_in(self.head_a)
        status = self.client.get(reverse("security:otp_status")).content.decode()
        self.assertIn("可选用双因素认证", status)
