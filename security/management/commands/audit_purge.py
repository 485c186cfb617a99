"""Delete audit entries older than a date outside the retention period."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from security.audit import PurgeRefused, purge_before


class Command(BaseCommand):
    help = "清理某日之前的审计记录（至少保留 180 天，更近的日期会被拒绝）。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--before", required=True, help="YYYY-MM-DD")

    def handle(self, *args, before: str, **options) -> None:
        try:
            day = date.fromisoformat(before)
        except ValueError as error:
            raise CommandError(
                _("日期格式应为 YYYY-MM-DD：%(d)s") % {"d": before}
            ) from error
        try:
            deleted = purge_before(day, by="manage.py")
        except PurgeRefused as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            _("已清理 %(d)s 之前的审计记录 %(n)d 条。")
            % {"d": day.isoformat(), "n": deleted}
        )
