"""Write a meeting's minutes as PDF: ``manage.py export_minutes <meeting id> -o FILE.pdf``."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jinwei_ip.lib.pdf import CJKFontsMissing
from meetings.models import Meeting, Minutes
from meetings.pdf import minutes_pdf


class Command(BaseCommand):
    help = "导出会议纪要 PDF（默认为最新印发的版本）。"

    def create_parser(self, prog_name: str, subcommand: str, **kwargs):
        # Our --version is the minutes version, not Django's "show version and exit".
        kwargs["conflict_handler"] = "resolve"
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser) -> None:
        parser.add_argument("meeting", type=int, help="会议 ID")
        parser.add_argument("-o", "--output", required=True, help="输出的 PDF 文件")
        parser.add_argument(
            "--version",
            dest="minutes_version",
            type=int,
            help="纪要版本（默认最新印发的版本）",
        )

    def handle(self, *args, meeting: int, output: str, minutes_version=None, **opts):
        found = Meeting.objects.filter(pk=meeting).first()
        if found is None:
            raise CommandError(f"没有 ID 为 {meeting} 的会议。")
        versions = found.minutes.order_by("-version")
        if minutes_version is not None:
            minutes = versions.filter(version=minutes_version).first()
            if minutes is None:
                raise CommandError(f"会议“{found}”没有第{minutes_version}版纪要。")
        else:
            minutes = versions.filter(status=Minutes.Status.ISSUED).first()
            if minutes is None:
                raise CommandError(
                    f"会议“{found}”还没有印发的纪要；导出草稿请用 --version 指定版本。"
                )
        try:
            data = minutes_pdf(minutes)
        except CJKFontsMissing as e:
            raise CommandError(str(e)) from e
        Path(output).write_bytes(data)
        self.stdout.write(
            f"已导出 {minutes}（{minutes.issue_label or minutes.get_status_display()}）"
            f"到 {output}，{len(data)} 字节。"
        )
