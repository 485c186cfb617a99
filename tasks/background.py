"""The tasks app's work on the job queue (``jobs``): the ledger exports too large
for a request."""

from __future__ import annotations

from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from jobs import exports
from jobs.models import Job

from . import ledger_pdf
from .ledger import XLSX_TYPE, ledger_rows, ledger_workbook


def ledger_job_title(kind: str) -> str:
    return {
        "task_ledger_xlsx": _("督办台账（Excel）"),
        "task_ledger_pdf": _("督办台账（PDF）"),
    }[kind]


# --- ledger exports -----------------------------------------------------------


def _selection(job: Job, progress: exports.Progress):
    from .views_ledger import filtered_tasks

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
