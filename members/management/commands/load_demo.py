"""Load the founding document and the demo data of every app, then print the demo logins."""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from members import demo as members_demo
from members.services import founding_load, office_group_sync

OWN_APPS = ("members", "duties", "meetings", "tasks")


class Command(BaseCommand):
    help = "载入成立文件数据与演示数据（可重复运行）。"

    def handle(self, *args, **options) -> None:
        founding_load()
        office_group_sync()
        logins = members_demo.load()
        # Each app may ship a ``demo`` module with an idempotent ``load()``.
        for config in apps.get_app_configs():
            if config.name in OWN_APPS and config.name != "members":
                if find_spec(f"{config.name}.demo") is not None:
                    import_module(f"{config.name}.demo").load()
        self.stdout.write(
            _("演示账号（密码均为 %(pw)s）：") % {"pw": members_demo.DEMO_PASSWORD}
        )
        for username, role, unit in logins:
            self.stdout.write(f"  {username:<18} {role:<12} {unit}")
