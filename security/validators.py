"""Password rules of the security policy (AUTH_PASSWORD_VALIDATORS), with
messages in Chinese. The length, the character classes and the history depth
come from the policy the security administrator sets; Django's own validators
check the username and common passwords."""

from __future__ import annotations

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .policy import current_policy

CLASSES = (
    ("upper", str.isupper),
    ("lower", str.islower),
    ("digit", str.isdigit),
    ("symbol", lambda c: not c.isalnum() and not c.isspace()),
)


def character_classes(password: str) -> int:
    return sum(any(test(c) for c in password) for _name, test in CLASSES)


class PolicyLengthValidator:
    def validate(self, password: str, user=None) -> None:
        n = current_policy().password_min_length
        if len(password) < n:
            raise ValidationError(
                ngettext(
                    "密码太短：至少需要 %(n)d 个字符。",
                    "密码太短：至少需要 %(n)d 个字符。",
                    n,
                )
                % {"n": n},
                code="password_too_short",
            )

    def get_help_text(self) -> str:
        return _("至少 %(n)d 个字符。") % {"n": current_policy().password_min_length}


class CharacterClassValidator:
    def validate(self, password: str, user=None) -> None:
        need = current_policy().password_min_classes
        if character_classes(password) < need:
            raise ValidationError(
                _("密码须包含大写字母、小写字母、数字、符号中的至少 %(n)d 类。")
                % {"n": need},
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return _("包含大写字母、小写字母、数字、符号中的至少 %(n)d 类。") % {
            "n": current_policy().password_min_classes
        }


class NotUsernameValidator:
    def validate(self, password: str, user=None) -> None:
        if user is None:
            return
        username = (user.get_username() or "").lower()
        if username and username in password.lower():
            raise ValidationError(
                _("密码不能包含用户名。"), code="password_contains_username"
            )

    def get_help_text(self) -> str:
        return _("不能包含用户名。")


class HistoryValidator:
    """No reuse of the last N passwords; records each new one (Django calls
    ``password_changed`` after a password set with ``set_password`` is saved)."""

    def validate(self, password: str, user=None) -> None:
        if user is None or user.pk is None:
            return
        from .models import PasswordHistory

        depth = current_policy().password_history
        earlier = PasswordHistory.objects.filter(user=user).values_list(
            "password", flat=True
        )[:depth]
        if any(check_password(password, hashed) for hashed in earlier) or (
            user.password and check_password(password, user.password)
        ):
            raise ValidationError(
                _("不能使用最近 %(n)d 次用过的密码。") % {"n": depth},
                code="password_reused",
            )

    def password_changed(self, password: str, user=None) -> None:
        if user is None or user.pk is None:
            return
        from .services import password_recorded

        password_recorded(user=user)

    def get_help_text(self) -> str:
        return _("不能与最近 %(n)d 次用过的密码相同。") % {
            "n": current_policy().password_history
        }
