"""Workflows of security administration. Each writes its audit entry."""

from __future__ import annotations

import secrets
import string

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from jinwei_ip.lib.audit import log_event
from members.models import Person, Unit
from members.services import account_save

from .models import AccountSecurity, AdminRole, PasswordHistory, SecurityPolicy
from .policy import current_policy, forget_policy

User = get_user_model()

RECOVERY_CODES = 10


# --- questions ----------------------------------------------------------------


def admin_role_of(user) -> str:
    if not user.is_authenticated:
        return ""
    return (
        AdminRole.objects.filter(user=user)
        .order_by()
        .values_list("role", flat=True)
        .first()
        or ""
    )


def requires_two_factor(user, *, role: str | None = None, policy=None) -> bool:
    """The three administrators and superusers always; the office, leaders and
    unit accounts as the policy says."""
    policy = policy or current_policy()
    role = admin_role_of(user) if role is None else role
    if role or user.is_superuser:
        return True
    if user.role == User.Role.OFFICE:
        return policy.two_factor_office
    if user.role == User.Role.LEADER:
        return policy.two_factor_leaders
    if user.role in (User.Role.LIAISON, User.Role.UNIT_HEAD):
        return policy.two_factor_units
    return False


def otp_device_confirmed(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def account_security(user) -> AccountSecurity:
    state, _created = AccountSecurity.objects.get_or_create(user=user)
    return state


# --- passwords -----------------------------------------------------------------


def password_recorded(*, user) -> None:
    """A password was set (Django calls the validators' ``password_changed``):
    keep its hash in the history and restart its period of validity."""
    PasswordHistory.objects.create(user=user, password=user.password)
    keep = max(current_policy().password_history, 5)
    stale = PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[
        keep:
    ]
    PasswordHistory.objects.filter(pk__in=list(stale)).delete()
    AccountSecurity.objects.update_or_create(
        user=user,
        defaults={"password_changed_at": timezone.now(), "must_change_password": False},
    )


def _temporary_password() -> str:
    """A one-time password meeting every rule: 12 characters of four classes."""
    alphabet = string.ascii_letters + string.digits
    while True:
        body = "".join(secrets.choice(alphabet) for _ in range(10))
        candidate = f"{body}#{secrets.choice(string.digits)}"
        if any(c.isupper() for c in candidate) and any(c.islower() for c in candidate):
            return candidate


@transaction.atomic
def password_reset(*, user, by, request=None) -> str:
    """Give ``user`` a one-time password they must change at the next sign-in."""
    password = _temporary_password()
    user.set_password(password)
    user.save(update_fields=["password"])
    AccountSecurity.objects.update_or_create(
        user=user, defaults={"must_change_password": True}
    )
    _audit(request, by, "password_reset", object=_label(user))
    return password


# --- accounts (the system administrator) ---------------------------------------


def may_manage_account(target) -> bool:
    """The system administrator manages business accounts. Administrators' and
    superusers' accounts are not theirs to change: resetting the security or
    audit administrator's password and two-factor would let them sign in as
    that administrator. Those are reset on the command line by the superuser
    (``manage.py changepassword``, the admin site)."""
    return not (target.is_superuser or AdminRole.objects.filter(user=target).exists())


def _label(user) -> str:
    return f"members.user:{user.pk} {user.get_username()}"


def _audit(request, by, action: str, *, object: str, detail=None) -> None:
    """One audit line (and, through the security app's sink, one chained row)."""
    log_event(request, action, user=by, object=object, **(detail or {}))


@transaction.atomic
def account_admin_create(
    *,
    by,
    username: str,
    display_name: str,
    role: str,
    unit: Unit | None,
    email: str = "",
    phone: str = "",
    person: Person | None = None,
    request=None,
) -> tuple[object, str]:
    """A new account with a one-time password, to be changed at first sign-in."""
    user = User(
        username=username,
        display_name=display_name,
        email=email,
        phone=phone,
        person=person,
    )
    password = _temporary_password()
    user.set_password(password)
    account_save(user=user, role=role, unit=unit)
    AccountSecurity.objects.update_or_create(
        user=user, defaults={"must_change_password": True}
    )
    _audit(
        request,
        by,
        "account_create",
        object=_label(user),
        detail={"role": role, "unit": unit.code if unit else ""},
    )
    return user, password


@transaction.atomic
def account_admin_update(
    *,
    by,
    user,
    display_name: str,
    role: str,
    unit: Unit | None,
    email: str,
    phone: str,
    is_active: bool,
    request=None,
):
    if user.pk == by.pk and not is_active:
        raise ValidationError({"is_active": _("不能停用自己的账号。")})
    if role and AdminRole.objects.filter(user=user).exists():
        raise ValidationError({"role": _("该账号担任管理角色，不能同时担任业务角色。")})
    before = {
        "role": user.role,
        "unit": user.unit.code if user.unit_id else "",
        "is_active": user.is_active,
    }
    user.display_name = display_name
    user.email = email
    user.phone = phone
    user.is_active = is_active
    account_save(user=user, role=role, unit=unit)
    after = {"role": role, "unit": unit.code if unit else "", "is_active": is_active}
    changed = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    _audit(request, by, "account_update", object=_label(user), detail=changed)
    return user


# --- administrator roles -------------------------------------------------------

SYSTEM_ADMIN_GROUP = "系统管理员"
# What the system administrator manages in Django's admin besides the portal's
# account pages: accounts, units, people and positions. Never the audit log.
SYSTEM_ADMIN_MODELS = ["user", "unit", "unitalias", "person", "position", "membership"]


def system_admin_group() -> Group:
    group, _created = Group.objects.get_or_create(name=SYSTEM_ADMIN_GROUP)
    group.permissions.set(
        Permission.objects.filter(
            content_type__app_label="members",
            content_type__model__in=SYSTEM_ADMIN_MODELS,
        ).exclude(codename="view_unit_private")
    )
    return group


def may_grant_roles(user) -> bool:
    """The security administrator grants the three roles (the system
    administrator makes accounts but does not decide who administers)."""
    return admin_role_of(user) == AdminRole.Role.SECURITY


@transaction.atomic
def admin_role_grant(*, user, role: str, by=None, request=None) -> AdminRole:
    """Give ``user`` one of the three roles. Nobody grants a role to themselves,
    an account holds at most one, and business accounts (office, leaders, units)
    hold none: the separation the assessment looks for."""
    if role not in AdminRole.Role.values:
        raise ValidationError({"role": _("请选择管理角色。")})
    if by is not None and by.pk == user.pk:
        raise PermissionDenied(_("不能给自己授予管理角色。"))
    if user.role:
        raise ValidationError(
            {
                "user": _("%(name)s 是业务账号（%(role)s），不能兼任管理角色。")
                % {"name": user, "role": user.get_role_display()}
            }
        )
    existing = AdminRole.objects.select_for_update().filter(user=user).first()
    if existing is not None:
        raise ValidationError(
            {
                "user": _("%(name)s 已是%(role)s，一个账号只能担任一种管理角色。")
                % {"name": user, "role": existing.get_role_display()}
            }
        )
    grant = AdminRole.objects.create(user=user, role=role, granted_by=by)
    if role == AdminRole.Role.SYSTEM:
        user.groups.add(system_admin_group())
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    _audit(request, by, "role_grant", object=_label(user), detail={"role": role})
    return grant


@transaction.atomic
def admin_role_revoke(*, grant: AdminRole, by=None, request=None) -> None:
    if by is not None and by.pk == grant.user_id:
        raise PermissionDenied(_("不能撤销自己的管理角色。"))
    role = grant.role
    user = grant.user
    grant.delete()
    if role == AdminRole.Role.SYSTEM:
        user.groups.remove(*Group.objects.filter(name=SYSTEM_ADMIN_GROUP))
        user.is_staff = False
        user.save(update_fields=["is_staff"])
    _audit(request, by, "role_revoke", object=_label(user), detail={"role": role})


# --- the policy ------------------------------------------------------------------


@transaction.atomic
def policy_update(*, by, values: dict, request=None) -> SecurityPolicy:
    policy, _created = SecurityPolicy.objects.select_for_update().get_or_create(pk=1)
    before = policy.values()
    for name in SecurityPolicy.EDITABLE:
        setattr(policy, name, values[name])
    policy.updated_by = by
    policy.updated_at = timezone.now()
    policy.full_clean()
    policy.save()
    changed = {k: [before[k], v] for k, v in policy.values().items() if before[k] != v}
    _audit(
        request, by, "policy_change", object="security.securitypolicy:1", detail=changed
    )
    transaction.on_commit(forget_policy)
    forget_policy()
    return policy


# --- two-factor ------------------------------------------------------------------


def otp_enrolment_device(user) -> TOTPDevice:
    """The unconfirmed device whose key the enrolment page shows (one per person)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=user, name=str(_("手机验证器")), confirmed=False
        )
    return device


@transaction.atomic
def otp_enrol_confirm(
    *, user, device: TOTPDevice, token: str, request=None
) -> list[str] | None:
    """Confirm the device with a code from the app; returns the new recovery
    codes, or None when the code is wrong."""
    if not device.verify_token(token):
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = recovery_codes_new(user=user)
    _audit(request, user, "otp_enrolled", object=_label(user))
    return codes


def recovery_codes_new(*, user, request=None) -> list[str]:
    """Ten new single-use recovery codes (django-otp's static device); the
    earlier ones stop working."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name="recovery", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(
        [StaticToken(device=device, token=c) for c in codes]
    )
    if request is not None:
        _audit(request, user, "recovery_codes", object=_label(user))
    return codes


def otp_verify(*, user, token: str):
    """The device that accepts ``token``: six digits are an app code, anything
    else a recovery code (so a mistyped app code never counts against, and
    throttles, the recovery codes)."""
    token = (token or "").strip().replace(" ", "")
    if not token:
        return None
    if token.isdigit() and len(token) == 6:
        device = otp_device_confirmed(user)
        if device is not None and device.verify_token(token):
            return device
        return None
    static = StaticDevice.objects.filter(user=user, confirmed=True).first()
    if static is not None and static.verify_token(token.lower()):
        return static
    return None


@transaction.atomic
def otp_reset(*, user, by, request=None) -> None:
    """The system administrator clears a person's two-factor devices (a lost
    phone): they enrol again at their next sign-in."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    _audit(request, by, "otp_reset", object=_label(user))
