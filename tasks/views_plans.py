"""Work plans, their import from a spreadsheet (upload → preview → confirm) and
the office's working-day table: the planning pages of the tasks app."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from jinwei_ip.lib.ratelimit import limited
from jobs.services import job_start
from members.access import require_office, require_overseer
from members.models import LeadingGroup, Unit

from . import plans
from .access import (
    get_plan_for,
)
from .background import plan_import_title
from .forms import (
    ImportForm,
    WorkdayOverrideForm,
    WorkPlanForm,
)
from .importer import parse_work_plan
from .models import (
    CoUnit,
    WorkdayOverride,
    WorkPlan,
)
from .plan_cells import accepted_names
from .plan_rows import already_due, already_in_plan
from .plan_template import template_workbook

PER_PAGE = 30
IMPORT_SESSION_KEY = "tasks_plan_import"


# --- work plans and import -------------------------------------------------


@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    require_overseer(request.user)
    from django.db.models import Count

    work_plans = WorkPlan.objects.annotate(task_count=Count("tasks"))
    return render(request, "tasks/plan_list.html", {"plans": work_plans})


def plan_create(request: HttpRequest) -> HttpResponse:
    require_office(request.user)
    form = WorkPlanForm(
        request.POST or None,
        initial={
            "year": timezone.localdate().year,
            "title": _("%(y)d年知识产权强区建设工作计划")
            % {"y": timezone.localdate().year},
        },
    )
    if request.method == "POST" and form.is_valid():
        plan = plans.work_plan_create(
            group=LeadingGroup.objects.first(), by=request.user, **form.cleaned_data
        )
        messages.success(request, _("工作计划已创建，可逐项交办或从 Excel 导入。"))
        return redirect(plan)
    return render(request, "tasks/plan_form.html", {"form": form})


@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for(request.user, pk)
    tasks = (
        plan.tasks.with_light()
        .select_related("lead_unit")
        .prefetch_related(
            Prefetch("co_unit_links", queryset=CoUnit.objects.select_related("unit"))
        )
    )
    # In the plan's own order: 计划-2 before 计划-10 (the codes sorted as text
    # put 计划-10 second).
    tasks = sorted(tasks, key=lambda task: _natural_key(task.code))
    return render(request, "tasks/plan_detail.html", {"plan": plan, "tasks": tasks})


def _natural_key(code: str) -> list[tuple[int, int | str]]:
    return [
        (0, int(part)) if part.isdigit() else (1, part)
        for part in re.split(r"(\d+)", code)
        if part
    ]


@limited("import", methods=("POST",))
def plan_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload → preview (nothing written; rows kept in the session) → confirm."""
    plan = get_plan_for(request.user, pk, office=True)
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    duplicates: list[str] = []
    overdue: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = parse_work_plan(upload.read(), plan.year, upload.name)
        if result.ok:
            duplicates = already_in_plan(plan, result.rows)
            overdue = already_due(result.rows, timezone.localdate())
            request.session[IMPORT_SESSION_KEY] = {
                "plan": plan.pk,
                "rows": result.rows_to_keep(),
                "name": upload.name,
                # this upload, confirmed once: a second confirmation of it
                # finds its job (``job_start(key=...)``)
                "upload": uuid.uuid4().hex,
            }
        else:
            request.session.pop(IMPORT_SESSION_KEY, None)
    return render(
        request,
        "tasks/plan_import.html",
        {
            "plan": plan,
            "form": form,
            "result": result,
            "duplicates": duplicates,
            "overdue": overdue,
            "in_background": bool(result and result.ok)
            and len(result.rows) > settings.PLAN_IMPORT_JOB_ROWS,
            "accepted": accepted_names(),
        },
    )


@require_GET
def plan_import_template(request: HttpRequest) -> HttpResponse:
    """The workbook to fill in: the importer's columns and an example row."""
    require_office(request.user)
    response = HttpResponse(
        template_workbook(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    from django.utils.http import content_disposition_header

    response["Content-Disposition"] = content_disposition_header(
        True, _("工作计划导入模板.xlsx")
    )
    return response


@require_POST
@limited("import")
def plan_import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Write the previewed rows: in the request, or by a worker (with a progress
    page) beyond PLAN_IMPORT_JOB_ROWS rows. Either way the upload is consumed: a
    second confirmation finds nothing to import, or the job already asked for."""
    plan = get_plan_for(request.user, pk, office=True)
    pending = request.session.get(IMPORT_SESSION_KEY)
    if not pending or pending.get("plan") != plan.pk:
        messages.error(request, _("没有待确认的导入，请重新上传文件。"))
        return redirect("tasks:plan_import", pk=plan.pk)
    if len(pending["rows"]) > settings.PLAN_IMPORT_JOB_ROWS:
        job = job_start(
            owner=request.user,
            kind="plan_import",
            title=plan_import_title(plan),
            params={"plan": plan.pk, "rows": pending["rows"], "name": pending["name"]},
            back_url=plan.get_absolute_url(),
            key=pending.get("upload", ""),
        )
        request.session.pop(IMPORT_SESSION_KEY, None)
        return redirect(job)
    try:
        tasks = plans.work_plan_import(plan=plan, rows=pending["rows"], by=request.user)
    except (ValidationError, Unit.DoesNotExist) as error:
        messages.error(request, plans.import_failure(error))
        return redirect("tasks:plan_import", pk=plan.pk)
    request.session.pop(IMPORT_SESSION_KEY, None)
    messages.success(request, _("已导入 %(n)d 项任务。") % {"n": len(tasks)})
    return redirect(plan)


# --- working-day calendar --------------------------------------------------


def workday_list(request: HttpRequest) -> HttpResponse:
    """The office's override table for the working-day calendar."""
    require_overseer(request.user)
    form = WorkdayOverrideForm(request.POST or None)
    if request.method == "POST":
        require_office(request.user)
        if form.is_valid():
            form.save()
            messages.success(request, _("工作日调整已保存。"))
            return redirect("tasks:workdays")
    today = timezone.localdate()
    return render(
        request,
        "tasks/workdays.html",
        {
            "form": form,
            "overrides": WorkdayOverride.objects.filter(
                day__gte=today - timedelta(days=400)
            ),
        },
    )


@require_POST
def workday_delete(request: HttpRequest, pk: int) -> HttpResponse:
    require_office(request.user)
    get_object_or_404(WorkdayOverride, pk=pk).delete()
    messages.success(request, _("已删除该调整。"))
    return redirect("tasks:workdays")
