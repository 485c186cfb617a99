"""Load the founding document and the demo data of every app, then print the demo logins."""

from __future__ import annotations

import unicodedata
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from members import demo as members_demo
from members.services import founding_load, office_group_sync

OWN_APPS = ("members", "security", "duties", "meetings", "tasks", "campaigns", "annual")


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
                    rows = import_module(f"{config.name}.demo").load()
                    if isinstance(rows, list):  # more demo logins to print
                        logins += rows
        self.stdout.write(
            _("演示账号（密码均为 %(pw)s）：") % {"pw": members_demo.DEMO_PASSWORD}
        )
        for line in login_lines(logins):
            self.stdout.write(line)


def display_width(text: str) -> int:
    """Columns a text takes in a terminal: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def login_lines(logins: list[tuple[str, str, str]]) -> list[str]:
    """The demo logins as a table whose unit column lines up in a terminal."""
    width = max((display_width(str(role)) for _u, role, _unit in logins), default=0)
    return [
        f"  {username:<18} {role}{' ' * (width - display_width(str(role)))}  {unit}".rstrip()
        for username, role, unit in logins
    ]
