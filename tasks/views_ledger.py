"""The task ledger (督办台账) as a PDF, beside the Excel export in ``tasks.views``.

Same filter, same person's tasks (``filtered_tasks``) and same rows
(``ledger_rows``) as the Excel ledger; the layout is in ``tasks.ledger_pdf``.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from jinwei_ip.lib.audit import export_event
from jinwei_ip.lib.pdf import CJKFontsMissing, fonts_missing_response
from jinwei_ip.lib.ratelimit import limited

from . import ledger_pdf
from .views import filtered_tasks


def _ledger_url(request: HttpRequest) -> str:
    url = reverse("tasks:list")
    if request.GET:
        url += "?" + request.GET.urlencode()
    return url


@require_GET
@limited("pdf")
def task_export_pdf(request: HttpRequest) -> HttpResponse:
    """督办台账 as a PDF for the list's current filter (at most MAX_TASKS rows)."""
    form, qs = filtered_tasks(request.user, request.GET)
    count = qs.count()
    if count > ledger_pdf.MAX_TASKS:
        messages.error(
            request,
            _(
                "当前筛选条件选中 %(n)d 项任务，超过 PDF 台账一次最多 %(max)d 项的上限。"
                "请缩小筛选范围（如按年度、单位或状态）后再导出 PDF，"
                "或导出 Excel 台账（不限数量）。"
            )
            % {"n": count, "max": ledger_pdf.MAX_TASKS},
        )
        return redirect(_ledger_url(request))
    try:
        response = ledger_pdf.ledger_pdf_response(user=request.user, form=form, qs=qs)
    except CJKFontsMissing:
        return fonts_missing_response(
            request,
            _ledger_url(request),
            what="Task ledger PDF",
            also=_("Excel 台账仍可导出。"),
        )
    export_event(request, "task_ledger_pdf", count=count)
    return response
