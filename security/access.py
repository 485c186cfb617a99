"""Who may open the security administration pages: the one access helper of the
security app. An administrator's pages answer 403 to every other signed-in
person (the pages' existence is no secret; what they show is)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from members.models import User

from .models import AdminRole, AuditEntry
from .services import admin_role_of


def require_role(user: User, role: str) -> None:
    if not (user.is_authenticated and user.is_active and admin_role_of(user) == role):
        raise PermissionDenied


def require_system_admin(user: User) -> None:
    require_role(user, AdminRole.Role.SYSTEM)


def require_security_admin(user: User) -> None:
    require_role(user, AdminRole.Role.SECURITY)


def require_audit_admin(user: User) -> None:
    require_role(user, AdminRole.Role.AUDIT)


def get_account_for(user: User, pk: int) -> User:
    require_system_admin(user)
    return get_object_or_404(User.objects.select_related("unit"), pk=pk)


def get_managed_account_for(user: User, pk: int) -> User:
    """An account the system administrator may change (403 for administrators'
    and superusers' accounts, which they may see but not change)."""
    from .services import may_manage_account

    account = get_account_for(user, pk)
    if not may_manage_account(account):
        raise PermissionDenied
    return account


def get_grant_for(user: User, pk: int) -> AdminRole:
    require_security_admin(user)
    return get_object_or_404(AdminRole.objects.select_related("user"), pk=pk)


def get_audit_entry_for(user: User, seq: int) -> AuditEntry:
    require_audit_admin(user)
    return get_object_or_404(AuditEntry, seq=seq)
