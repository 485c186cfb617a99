"""The tasks app's work on the job queue (``jobs``): the daily digest on the
queue's own schedule, and the ledger exports too large for a request."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from jinwei_ip.lib.workdays import is_workday
from jobs import exports
from jobs.models import Job

from . import ledger_pdf
from .ledger import XLSX_TYPE, ledger_rows, ledger_workbook


def ledger_job_title(kind: str) -> str:
    return {
        "task_ledger_xlsx": _("督办台账（Excel）"),
        "task_ledger_pdf": _("督办台账（PDF）"),
    }[kind]


# --- the daily digest ---------------------------------------------------------


def digest_due(now: datetime | None = None) -> list:
    """Send today's digest if it is a working day and its hour has come. Run
    every ten minutes: the first run after REMINDER_HOUR sends, the rest find
    everyone reminded (ReminderLog), and a worker that was down at the hour
    catches up. (``manage.py send_reminders`` sends on any day it is run.)"""
    from .services import reminders_send

    local = timezone.localtime(now)
    if local.hour < settings.REMINDER_HOUR or not is_workday(local.date()):
        return []
    return reminders_send(day=local.date())


DIGEST_LOCK = "jobs:daily-digest"


@db_periodic_task(crontab(minute="*/10"))
def daily_digest() -> int:
    """Every worker's scheduler enqueues this; one run at a time goes ahead. The
    lock is in the cache (Redis with several servers) and expires on its own, so a
    worker killed while sending cannot hold it (huey's lock_task would, forever)."""
    from django.core.cache import cache

    if not cache.add(DIGEST_LOCK, 1, timeout=15 * 60):
        return 0
    try:
        return len(digest_due())
    finally:
        cache.delete(DIGEST_LOCK)


# --- ledger exports -----------------------------------------------------------


def _selection(job: Job, progress: exports.Progress):
    from .views import filtered_tasks

    progress(5, _("读取任务"))
    form, qs = filtered_tasks(job.owner, QueryDict(job.params.get("query", "")))
    return form, qs


def _rows_with_progress(qs, progress: exports.Progress, start: int, end: int):
    total = qs.count() or 1
    rows = []
    for n, row in enumerate(ledger_rows(qs), start=1):
        rows.append(row)
        if n % 50 == 0:
            progress(
                start + (end - start) * n // total,
                _("已整理 %(n)d / %(t)d 项") % {"n": n, "t": total},
            )
    return rows


@exports.runner("task_ledger_xlsx")
def ledger_xlsx(job: Job, progress: exports.Progress) -> exports.Output:
    form, qs = _selection(job, progress)
    rows = _rows_with_progress(qs, progress, 10, 80)
    progress(85, _("写入 Excel"))
    today = timezone.localdate()
    data = ledger_workbook(user=job.owner, form=form, rows=rows, today=today)
    return exports.Output(data, f"督办台账-{today.isoformat()}.xlsx", XLSX_TYPE)


@exports.runner("task_ledger_pdf")
def ledger_pdf_job(job: Job, progress: exports.Progress) -> exports.Output:
    from jinwei_ip.lib.pdf import INSTALL_HINT, CJKFontsMissing

    form, qs = _selection(job, progress)
    count = qs.count()
    if count > ledger_pdf.MAX_TASKS:
        raise exports.JobError(
            _(
                "当前筛选条件选中 %(n)d 项任务，超过 PDF 台账一次最多 %(max)d 项的上限。"
                "请缩小筛选范围后再导出 PDF，或导出 Excel 台账（不限数量）。"
            )
            % {"n": count, "max": ledger_pdf.MAX_TASKS}
        )
    progress(30, _("排版 PDF（%(n)d 项）") % {"n": count})
    now = timezone.now()
    try:
        data = ledger_pdf.render_ledger(user=job.owner, form=form, qs=qs, now=now)
    except CJKFontsMissing as error:
        raise exports.JobError(
            _(
                "服务器没有安装中文字体，暂时无法生成 PDF 台账。"
                "请联系系统管理员安装 Noto CJK 字体：%(cmd)s。Excel 台账仍可导出。"
            )
            % {"cmd": INSTALL_HINT}
        ) from error
    return exports.Output(
        data, ledger_pdf.filename(timezone.localdate(now)), "application/pdf"
    )


# --- bulletins ------------------------------------------------------------------


@exports.runner("bulletin_pdf")
def bulletin_pdf_job(job: Job, progress: exports.Progress) -> exports.Output:
    from django.http import Http404

    from jinwei_ip.lib.pdf import INSTALL_HINT, CJKFontsMissing

    from . import bulletin_pdf, bulletins

    try:
        # asked again as the person: a draft discarded since, or a person moved
        # to another unit, gets no file
        bulletin = bulletins.get_bulletin_for(job.owner, job.params["bulletin"])
    except Http404 as error:
        raise exports.JobError(
            _("这份通报已不存在，或您已无权查看，无法生成 PDF。")
        ) from error
    progress(20, _("排版 PDF"))
    try:
        data = bulletin_pdf.render_bulletin(bulletin)
    except CJKFontsMissing as error:
        raise exports.JobError(
            _(
                "服务器没有安装中文字体，暂时无法生成 PDF。"
                "请联系系统管理员安装 Noto CJK 字体：%(cmd)s。"
            )
            % {"cmd": INSTALL_HINT}
        ) from error
    return exports.Output(data, bulletin_pdf.filename(bulletin), "application/pdf")
