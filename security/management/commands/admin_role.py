"""Grant or revoke an administrator role from the command line (the first
security administrator is made here; after that the security administrator
grants roles in the browser). Audited like the page."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from members.models import User
from security.models import AdminRole
from security.services import admin_role_grant, admin_role_revoke


class Command(BaseCommand):
    help = "授予或撤销管理角色：admin_role 用户名 system|security|audit，或 --revoke。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("role", nargs="?", choices=AdminRole.Role.values)
        parser.add_argument("--revoke", action="store_true")

    def handle(self, *args, username: str, role: str | None, revoke: bool, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("没有用户名为 %(u)s 的账号。") % {"u": username})
        try:
            if revoke:
                grant = AdminRole.objects.filter(user=user).first()
                if grant is None:
                    raise CommandError(_("%(u)s 没有管理角色。") % {"u": username})
                admin_role_revoke(grant=grant)
            else:
                if role is None:
                    raise CommandError(_("请指定角色：system、security 或 audit。"))
                admin_role_grant(user=user, role=role)
        except (ValidationError, PermissionDenied) as error:
            raise CommandError(
                "; ".join(getattr(error, "messages", [str(error)]))
            ) from error
        self.stdout.write(_("完成。"))
