"""Demo administrators for ``make run``: one account per administrator role."""

from __future__ import annotations

from django.db import transaction

from members.demo import DEMO_PASSWORD
from members.models import User
from members.services import account_create

from .models import AdminRole
from .services import admin_role_grant

DEMO_ADMINS = [
    # username, name, role
    ("sysadmin", "系统管理员（演示）", AdminRole.Role.SYSTEM),
    ("secadmin", "安全管理员（演示）", AdminRole.Role.SECURITY),
    ("auditadmin", "审计管理员（演示）", AdminRole.Role.AUDIT),
]


@transaction.atomic
def load() -> list[tuple[str, str, str]]:
    rows = []
    for username, name, role in DEMO_ADMINS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = account_create(
                username=username,
                password=DEMO_PASSWORD,
                display_name=name,
                role="",
                email=f"{username}@example.invalid",
            )
        if not AdminRole.objects.filter(user=user).exists():
            admin_role_grant(user=user, role=role)
        rows.append((username, AdminRole.Role(role).label, ""))
    return rows
