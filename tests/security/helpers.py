"""The three administrators, added to the fixed cast for the security tests."""

from __future__ import annotations

from members.models import User
from members.services import account_create
from security.models import AdminRole
from security.services import admin_role_grant
from tests.cast import PASSWORD

ADMINS = {
    "t_sysadmin": AdminRole.Role.SYSTEM,
    "t_secadmin": AdminRole.Role.SECURITY,
    "t_auditadmin": AdminRole.Role.AUDIT,
}


def make_admins() -> dict[str, User]:
    """{"system": user, "security": user, "audit": user} (inside a test's data)."""
    admins = {}
    for username, role in ADMINS.items():
        user = account_create(
            username=username, password=PASSWORD, display_name=username, role=""
        )
        admin_role_grant(user=user, role=role)
        admins[role] = user
    return admins
