"""Daily reminders (run by cron): one digest per person, nothing when nothing is due.

manage.py send_reminders [--date YYYY-MM-DD] [--dry-run]
"""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from notices.digest import digests_send


class Command(BaseCommand):
    help = "发送督办提醒：每人每天一封汇总邮件及站内通知；逾期任务同时提醒单位负责同志和办公室。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--date", help="提醒日期 YYYY-MM-DD（默认今天）")
        parser.add_argument(
            "--dry-run", action="store_true", help="只列出将要提醒的人，不发送"
        )

    def handle(self, *args, **options) -> None:
        day = timezone.localdate()
        if options["date"]:
            try:
                day = date.fromisoformat(options["date"])
            except ValueError as error:
                raise CommandError("日期格式应为 YYYY-MM-DD") from error
        sent = digests_send(day=day, dry_run=options["dry_run"])
        verb = "将提醒" if options["dry_run"] else "已提醒"
        for person, parts in sent:
            counts = "，".join(
                f"{label} {n}" for part in parts for label, n in part.counts
            )
            self.stdout.write(f"{verb} {person.username} ({person}): {counts}")
        self.stdout.write(f"{day.isoformat()}：{verb} {len(sent)} 人。")
