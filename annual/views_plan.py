"""Pages of next year's plan (知识产权强区建设工作计划): drafted from the
submissions, edited, downloaded as Word, its approval recorded, turned into
the year's planned tasks."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from duties.models import DutyClause
from jinwei_ip.lib.audit import export_event
from jinwei_ip.lib.ratelimit import limited
from members.models import Unit

from . import services, services_plan
from .access import get_plan_for, get_round_for
from .docx import plan_docx, plan_filename
from .forms import PlanApproveForm, PlanEntryFormSet, PlanForm
from .models import Plan
from .views import _error_text, _form_errors


@require_POST
def plan_create(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_round_for(request.user, pk, office=True)
    try:
        plan = services_plan.plan_create(round_=round_, by=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect(round_)
    messages.success(
        request,
        _("已根据各单位的下年度工作打算起草工作计划（%(n)d条）。")
        % {"n": plan.entries.count()},
    )
    return redirect(plan)


def _entries(plan: Plan):
    return plan.entries.select_related(
        "lead", "source__submission__unit"
    ).prefetch_related(
        "co_units", Prefetch("duties", DutyClause.objects.select_related("unit"))
    )


@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for(request.user, pk)
    return render(
        request,
        "annual/plan_detail.html",
        {
            "plan": plan,
            "round": plan.round,
            "entries": _entries(plan),
            "approve_form": PlanApproveForm(
                initial={
                    "approved_on": timezone.localdate(),
                    "version": plan.edit_version,
                }
            ),
        },
    )


def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for(request.user, pk, office=True)
    if not plan.is_draft:
        messages.info(request, _("工作计划已审定，不能再修改。"))
        return redirect(plan)
    units = Unit.objects.members()
    clauses = DutyClause.objects.select_related("unit").order_by(
        "unit__order", "number"
    )
    data = request.POST or None
    form = PlanForm(
        data,
        initial={
            "title": plan.title,
            "intro": plan.intro,
            "requirements": plan.requirements,
            "version": plan.edit_version,
        },
    )
    initial = [
        {
            "pk": e.pk,
            "section": e.section,
            "text": e.text,
            "lead": e.lead,
            "co_units": list(e.co_units.all()),
            "due_on": e.due_on,
            "duties": list(e.duties.all()),
        }
        for e in _entries(plan)
    ]
    entries = PlanEntryFormSet(
        data,
        prefix="entries",
        initial=initial,
        form_kwargs={"units": units, "clauses": clauses},
    )
    stale = False
    if request.method == "POST" and form.is_valid() and entries.is_valid():
        rows = [f.cleaned_data for f in entries.ordered_forms]
        try:
            services_plan.plan_edit(
                plan=plan,
                by=request.user,
                entries=rows,
                **form.cleaned_data,
            )
        except services.StaleEdit as error:
            stale = True
            plan.refresh_from_db()
            fresh = request.POST.copy()
            fresh["version"] = str(plan.edit_version)
            form = PlanForm(fresh)
            form.is_valid()
            form.add_error(None, error)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("工作计划草案已保存。"))
            return redirect(plan)
    return render(
        request,
        "annual/plan_form.html",
        {"plan": plan, "form": form, "entries": entries, "stale": stale},
    )


@limited("export")
@require_GET
def plan_download(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for(request.user, pk)
    data = plan_docx(plan)
    export_event(request, "annual_plan_docx", plan)
    response = HttpResponse(
        data,
        content_type="application/vnd.openxmlformats-officedocument."
        "wordprocessingml.document",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="plan-{plan.year}.docx"; '
        f"filename*=UTF-8''{quote(plan_filename(plan))}"
    )
    return response


@require_POST
def plan_approve(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for(request.user, pk, office=True)
    form = PlanApproveForm(request.POST)
    if form.is_valid():
        try:
            services_plan.plan_approve(plan=plan, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("已登记工作计划的审定情况。"))
    else:
        messages.error(
            request,
            "；".join(
                f"{form.fields[name].label}：{'；'.join(errs)}"
                if name in form.fields
                else "；".join(errs)
                for name, errs in form.errors.items()
            ),
        )
    return redirect(plan)


@limited("import", methods=("POST",))
@require_POST
def plan_tasks(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for(request.user, pk, office=True)
    try:
        work_plan = services_plan.plan_to_tasks(plan=plan, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(plan)
    messages.success(
        request,
        _("已生成计划任务 %(n)d 项，并通知了各承办单位。")
        % {"n": work_plan.tasks.count()},
    )
    return redirect(work_plan)
