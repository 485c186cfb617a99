"""What to watch on the job queue: manage.py queue_status (exit 1 when the
queue's store cannot be reached or mail is overdue, for a monitoring check)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from jobs.services import queue_figures


class Command(BaseCommand):
    help = "显示后台队列状态：队列中的作业、待发送和发送失败的邮件、失败的导出。"

    def handle(self, *args, **options) -> None:
        f = queue_figures()
        queued = "无法连接" if f["queued"] is None else f["queued"]
        self.stdout.write(f"队列中的作业：{queued}")
        self.stdout.write(
            f"等待重试的作业：{f['scheduled'] if f['scheduled'] is not None else '无法连接'}"
        )
        self.stdout.write(f"待发送邮件：{f['mail_pending']}")
        self.stdout.write(f"超过 5 分钟无人处理的邮件：{f['mail_overdue']}")
        self.stdout.write(f"发送失败邮件：{f['mail_failed']}")
        self.stdout.write(f"进行中的导出：{f['jobs_active']}")
        self.stdout.write(f"24 小时内失败的导出：{f['jobs_failed']}")
        if f["queued"] is None:
            raise CommandError("无法连接队列存储（QUEUE_URL）")
        if f["mail_overdue"]:
            raise CommandError("有邮件超过 5 分钟无人处理：后台作业进程可能没有运行")
