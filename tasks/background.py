"""The tasks app's work on the job queue (``jobs``): the ledger exports and the
work-plan imports too large for a request."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from jobs import exports
from jobs.models import Job
from members.models import Unit

from . import ledger_pdf, plans
from .access import get_plan_for
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


# --- work-plan imports --------------------------------------------------------


def plan_import_title(plan) -> str:
    return _("导入工作计划：%(plan)s") % {"plan": plan.title}


@exports.runner("plan_import")
def plan_import(job: Job, progress: exports.Progress) -> exports.Link:
    """The rows the office previewed and confirmed (kept on the job by the
    confirmation, as the preview kept them in the session), written as the
    plan's tasks in one transaction: a failure writes nothing and can be retried.

    The import and the job's link to its result commit together, so an attempt
    whose worker died after the commit is not imported again by the next.
    """
    try:
        plan = get_plan_for(job.owner, job.params["plan"], office=True)
    except (Http404, PermissionDenied) as error:
        raise exports.JobError(
            _(
                "无法导入：该工作计划已删除，或您已无权向其导入任务"
                "（只有领导小组办公室可以导入）。未写入任何数据。"
            )
        ) from error
    url, text = (
        Job.objects.filter(pk=job.pk).values_list("result_url", "result_text").get()
    )
    if url:
        return exports.Link(url, text)
    rows = job.params["rows"]

    def checked(done: int, total: int) -> None:
        progress(
            5 + 45 * done // total,
            _("已核对 %(n)d / %(t)d 行") % {"n": done, "t": total},
        )

    progress(5, _("核对单位和职责条款"))
    try:
        units = plans.work_plan_recheck(rows, progress=checked)
        progress(50, _("写入 %(n)d 项任务") % {"n": len(rows)})
        with transaction.atomic():
            tasks = plans.work_plan_import(
                plan=plan, rows=rows, by=job.owner, checked=units
            )
            link = exports.Link(
                plan.get_absolute_url(),
                _("已向“%(plan)s”导入 %(n)d 项任务。")
                % {"plan": plan.title, "n": len(tasks)},
            )
            params = {k: v for k, v in job.params.items() if k != "rows"}
            Job.objects.filter(pk=job.pk).update(
                result_url=link.url, result_text=link.text, params=params
            )
    except (ValidationError, Unit.DoesNotExist) as error:
        raise exports.JobError(plans.import_failure(error)) from error
    return link
