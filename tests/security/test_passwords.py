"""Password rules: length, classes, username, common passwords, no reuse of the
last five, expiry; Chinese messages; the demo/test exemption."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from members.models import User
from security.models import AccountSecurity, PasswordHistory, SecurityPolicy
from security.policy import forget_policy
from tests.base import PortalTestCase
from tests.cast import PASSWORD


class PasswordRuleTests(PortalTestCase):
    def errors(self, password: str, user=None) -> list[str]:
        try:
            validate_password(password, user)
        except ValidationError as error:
            return error.messages
        return []

    def test_a_good_password_passes(self) -> None:
        self.assertEqual(self.errors("Jintai#2027ip", self.liaison_a), [])

    def test_length_in_chinese(self) -> None:
        self.assertIn(
            "密码太短：至少需要 8 个字符。", self.errors("Ab1#x", self.liaison_a)
        )

    def test_three_of_four_classes(self) -> None:
        messages = self.errors("jintaiportal", self.liaison_a)
        self.assertIn(
            "密码须包含大写字母、小写字母、数字、符号中的至少 3 类。", messages
        )
        self.assertEqual(
            self.errors("jintai-portal7", self.liaison_a), []
        )  # lower+digit+symbol

    def test_not_the_username(self) -> None:
        self.assertIn(
            "密码不能包含用户名。", self.errors("Liaison_a#2027", self.liaison_a)
        )

    def test_not_a_common_password(self) -> None:
        messages = self.errors("Password1", self.liaison_a)
        self.assertTrue(any("常见" in m for m in messages), messages)

    def test_no_reuse_of_the_last_five(self) -> None:
        user = User.objects.get(pk=self.head_a.pk)
        used = [f"Jintai#{n}-reuse" for n in range(6)]
        for password in used:
            user.set_password(password)
            user.save()
        self.assertEqual(PasswordHistory.objects.filter(user=user).count(), 5)
        for password in used[1:]:
            self.assertIn("不能使用最近 5 次用过的密码。", self.errors(password, user))
        self.assertEqual(self.errors(used[0], user), [])  # the sixth-last is free again

    def test_policy_changes_the_rules(self) -> None:
        SecurityPolicy.objects.filter(pk=1).update(
            password_min_length=12, password_min_classes=4
        )
        forget_policy()
        messages = self.errors("Jintai#2027", self.liaison_a)
        self.assertIn("密码太短：至少需要 12 个字符。", messages)
        self.assertIn(
            "密码须包含大写字母、小写字母、数字、符号中的至少 4 类。",
            self.errors("jintai-portal7x", self.liaison_a),
        )

    def test_change_form_shows_the_rules_in_chinese(self) -> None:
        self.client.force_login(self.liaison_a)
        response = self.client.post(
            reverse("password_change"),
            {
                "old_password": PASSWORD,
                "new_password1": "short",
                "new_password2": "short",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("密码太短：至少需要 8 个字符。", response.content.decode())


class ExpiryTests(PortalTestCase):
    def sign_in(self, user) -> None:
        self.client.logout()
        self.client.post(
            reverse("login"), {"username": user.username, "password": PASSWORD}
        )

    def age_password(self, user, days: int) -> None:
        AccountSecurity.objects.update_or_create(
            user=user,
            defaults={"password_changed_at": timezone.now() - timedelta(days=days)},
        )

    @override_settings(SECURITY_DEMO_EXEMPT=False)
    def test_an_expired_password_must_be_changed(self) -> None:
        self.age_password(self.liaison_a, 91)
        self.sign_in(self.liaison_a)
        response = self.client.get(reverse("tasks:list"))
        self.assertRedirects(response, reverse("password_change"))
        self.assertIn(
            "您的密码已过期",
            self.client.get(reverse("password_change")).content.decode(),
        )
        self.client.post(
            reverse("password_change"),
            {
                "old_password": PASSWORD,
                "new_password1": "Jintai#Fresh-2027",
                "new_password2": "Jintai#Fresh-2027",
            },
        )
        self.assertEqual(self.client.get(reverse("tasks:list")).status_code, 200)
        state = AccountSecurity.objects.get(user=self.liaison_a)
        self.assertLess(
            timezone.now() - state.password_changed_at, timedelta(minutes=1)
        )

    @override_settings(SECURITY_DEMO_EXEMPT=False)
    def test_within_the_period_nothing_is_asked(self) -> None:
        self.age_password(self.liaison_b, 89)
        self.sign_in(self.liaison_b)
        self.assertEqual(self.client.get(reverse("tasks:list")).status_code, 200)

    @override_settings(SECURITY_DEMO_EXEMPT=False)
    def test_the_security_admin_sets_the_period(self) -> None:
        SecurityPolicy.objects.filter(pk=1).update(password_max_age_days=30)
        forget_policy()
        self.age_password(self.liaison_b, 31)
        self.sign_in(self.liaison_b)
        self.assertRedirects(
            self.client.get(reverse("home")), reverse("password_change")
        )

    def test_demo_and_tests_are_exempt_by_setting(self) -> None:
        self.assertTrue(settings.SECURITY_DEMO_EXEMPT)  # JINWEI_TESTING sets it
        self.age_password(self.liaison_a, 400)
        self.sign_in(self.liaison_a)
        self.assertEqual(self.client.get(reverse("home")).status_code, 200)

    def test_deploy_check_warns_when_the_exemption_is_on(self) -> None:
        from security.checks import demo_exemption_off

        self.assertEqual([w.id for w in demo_exemption_off(None)], ["security.W001"])
        with override_settings(SECURITY_DEMO_EXEMPT=False):
            self.assertEqual(demo_exemption_off(None), [])
