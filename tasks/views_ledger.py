"""The task ledger (督办台账): the list of the tasks a person may see with its
filters, and the same tasks as Excel and as PDF (``filtered_tasks``: same filter,
same person's tasks; ``ledger_rows``: same rows; the PDF's layout is in
``tasks.ledger_pdf``).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from jinwei_ip.lib.audit import export_event
from jinwei_ip.lib.pdf import CJKFontsMissing, fonts_missing_response
from jinwei_ip.lib.ratelimit import limited
from members.models import User

from . import ledger_pdf
from .forms import (
    TaskFilterForm,
)
from .ledger import XLSX_TYPE, ledger_rows, ledger_workbook
from .models import (
    CoUnit,
    Task,
)
from .sources import source_year_q

PER_PAGE = 30


# --- list, filters, export -------------------------------------------------


def filtered_tasks(user: User, params) -> tuple[TaskFilterForm, QuerySet[Task]]:
    """The tasks this person may see, filtered by the list's form, most urgent first.

    Always the same few queries, whatever the number of tasks: the source's title
    annotated, lead units and co-units prefetched.
    """
    if not any(key != "page" for key in params):
        # The ledger opens on the work still to do; closed tasks are one filter
        # ("全部状态") away. Sorting all ten years of tasks by light on every visit
        # was most of the page's cost at archive scale (bench/README.md).
        params = params.copy()
        params["status"] = "open"
    form = TaskFilterForm(params, user=user)
    qs = (
        Task.objects.visible_to(user)
        .with_light()
        # The source's title as two small subqueries and the lead units as a
        # prefetch: joining decision, minutes, meeting, plan and unit to every
        # matching task made PostgreSQL spend ~5 ms choosing a join order (and,
        # with whole minutes rows, reading their narratives) on every page.
        .with_source_title()
        .prefetch_related(
            "lead_unit",
            Prefetch(
                "co_unit_links",
                queryset=CoUnit.objects.select_related("unit").order_by("unit__order"),
            ),
        )
    )
    # The conditions that validate are applied even when another one does not
    # (a stale bookmark's meeting, a swapped date range): dropping them all
    # showed the whole ledger, closed tasks included, under an error line.
    form.is_valid()
    data = form.cleaned_data
    if data.get("q"):
        qs = qs.filter(Q(code__icontains=data["q"]) | Q(title__icontains=data["q"]))
    if data.get("light"):
        qs = qs.filter(light_value=data["light"])
    if data.get("status") == "open":
        qs = qs.open()
    elif data.get("status"):
        qs = qs.filter(status=data["status"])
    if data.get("unit"):
        qs = qs.for_unit(data["unit"])
    if data.get("meeting"):
        qs = qs.filter(decision__minutes__meeting=data["meeting"])
    if data.get("year"):
        qs = qs.filter(source_year_q(int(data["year"])))
    if data.get("due_from"):
        qs = qs.filter(due_on__gte=data["due_from"])
    if data.get("due_to"):
        qs = qs.filter(due_on__lte=data["due_to"])
    return form, qs.by_urgency()


LIST_FIELDS = (
    "code",
    "title",
    "lead_unit_id",
    "due_on",
    "original_due_on",
    "status",
    "progress",
)


@require_GET
def task_list(request: HttpRequest) -> HttpResponse:
    form, qs = filtered_tasks(request.user, request.GET)
    # Only the columns a row shows (the page's rows: 24 → 19 ms on the bench data).
    qs = qs.only(*LIST_FIELDS)
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "tasks/task_list.html",
        {
            "form": form,
            "page": page,
            "tasks": page.object_list,
            "today": timezone.localdate(),
            # A filter beyond the search box is set: its fields stay open on a phone.
            "filters_active": any(
                request.GET.get(name) for name in form.fields if name != "q"
            ),
        },
    )


@require_GET
@limited("export")
def task_export(request: HttpRequest) -> HttpResponse:
    """督办台账 as .xlsx for the list's current filter (formula-safe); a large
    selection is made by a worker, with a progress page (``tasks.background``)."""
    from django.utils.http import content_disposition_header

    form, qs = filtered_tasks(request.user, request.GET)
    if qs.count() > settings.EXPORT_INLINE_MAX_ROWS:
        return export_job_start(request, "task_ledger_xlsx")
    today = timezone.localdate()
    rows = ledger_rows(qs)
    data = ledger_workbook(user=request.user, form=form, rows=rows, today=today)
    export_event(request, "task_ledger_xlsx", count=len(rows))
    response = HttpResponse(data, content_type=XLSX_TYPE)
    filename = f"督办台账-{today.isoformat()}.xlsx"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def export_job_start(request: HttpRequest, kind: str) -> HttpResponse:
    """Hand the ledger export for the list's filter to a worker and show its
    progress page."""
    from jobs.services import job_start

    from .background import ledger_job_title

    back = reverse("tasks:list")
    if request.GET:
        back += "?" + request.GET.urlencode()
    job = job_start(
        owner=request.user,
        kind=kind,
        title=ledger_job_title(kind),
        params={"query": request.GET.urlencode()},
        back_url=back,
    )
    return redirect(job)


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
    if settings.EXPORT_INLINE_MAX_ROWS < count <= ledger_pdf.MAX_TASKS:
        return export_job_start(request, "task_ledger_pdf")
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
