"""The task pages: the task, its reports, extensions and evidence; one small
function per URL and action (assigning and editing tasks in ``views_assign``,
the ledger in ``views_ledger``, plans and the working-day table in
``views_plans``).

Objects come through ``tasks.access`` (404 if not visible, 403 if visible but not
allowed); changes go through ``tasks.services``.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from jinwei_ip.lib.audit import export_event
from jinwei_ip.lib.forms import error_text, rebind_stale
from members.models import User

from . import extensions, refusals, services
from .access import (
    LEAD,
    REPORT,
    get_evidence_for,
    get_report_for,
    get_task_for,
    get_task_for_approver,
    get_task_for_office,
    task_actions,
)
from .forms import (
    ExtensionDecideForm,
    ExtensionRequestForm,
    NoteForm,
    ProgressReportEditForm,
    ProgressReportForm,
    ReturnForm,
    WaiveForm,
)
from .models import Extension, ProgressReport, Task
from .timeline import build_timeline


def _form_refusal(form) -> str:
    """A refused one-field form (a note, a reason) as one message naming the
    field: "说明：确保该值不超过 2000 个字符（它有 2001 个）。" The action is not
    taken, so nothing the person typed is dropped on the way."""
    parts = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        label = field.label if field is not None and not field.widget.is_hidden else ""
        for error in errors:
            named = label and str(label) not in str(error)
            parts.append(f"{label}：{error}" if named else str(error))
    return "；".join(dict.fromkeys(parts))


# --- the task page ---------------------------------------------------------


@require_GET
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_task_for(request.user, pk)
    reports = list(
        task.reports.select_related("unit", "author").prefetch_related("evidence")
    )
    co_links = list(task.co_unit_links.select_related("unit", "waived_by"))
    latest_by_unit: dict[int, ProgressReport] = {}
    for report in reports:  # newest first
        latest_by_unit.setdefault(report.unit_id, report)
    for link in co_links:
        link.latest_report = latest_by_unit.get(link.unit_id)
    lead_reports = [r for r in reports if r.is_lead_report]
    co_reports = [r for r in reports if not r.is_lead_report]
    task_extensions = list(
        task.extensions.select_related("unit", "requested_by", "decided_by")
    )
    user = request.user
    refusals.preload(
        task, co_links=co_links, reports=reports, extensions=task_extensions
    )
    actions = task_actions(user, task)
    pending = next(
        (e for e in task_extensions if e.status == Extension.Status.PENDING), None
    )
    if pending is not None:
        pending.task = task
    actions["decide_pending"] = bool(
        pending and refusals.extension_decide_refusal(user, pending) is None
    )
    for report in reports:
        report.task = task
        report.may_edit = refusals.report_edit_refusal(user, report) is None
    for link in co_links:
        link.may_waive = refusals.waive_refusal(user, task, link.unit) is None
    # Why the lead may not ask for closure yet, said beside where the button would
    # be instead of after the lead has typed its closure note and been refused.
    waiting_for_closure = (
        actions["is_lead"]
        and task.status in refusals.LEAD_WORKABLE
        and not actions["closure"]
    )
    actions["closure_later"] = waiting_for_closure and task.progress < 100
    closure_waiting = (
        refusals.closure_missing_co_units(task)
        if waiting_for_closure and task.progress == 100
        else []
    )
    actions["extension_waiting"] = bool(
        pending
        and refusals.extension_refusal(user, task)
        == refusals.extension_pending_message()
    )
    actions["nothing"] = not any(
        actions[name]
        for name in (
            "sign",
            "acknowledge",
            "report",
            "closure",
            "close",
            "return",
            "decide_pending",
        )
    )
    return render(
        request,
        "tasks/task_detail.html",
        {
            "task": task,
            "actions": actions,
            "co_links": co_links,
            "lead_reports": lead_reports,
            "co_reports": co_reports,
            "extensions": task_extensions,
            "closure_waiting": closure_waiting,
            "pending_extension": pending,
            "approved_extensions": [
                e for e in task_extensions if e.status == Extension.Status.APPROVED
            ],
            "duties": task.duties.select_related("unit"),
            "timeline": build_timeline(task),
            "return_form": ReturnForm(),
            "note_form": NoteForm(),
            "decide_form": ExtensionDecideForm(),
            "today": timezone.localdate(),
        },
    )


# --- unit actions ----------------------------------------------------------


def _run(request: HttpRequest, task: Task, action, success: str, **kwargs):
    try:
        action(task=task, by=request.user, **kwargs)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, success)
    return redirect(task)


@require_POST
def task_sign(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_task_for(request.user, pk, perm=REPORT)
    if refusals.is_lead(request.user, task):
        return _run(request, task, services.task_sign, _("已签收任务。"))
    return _run(request, task, services.task_acknowledge, _("已确认收到配合任务。"))


def _report_start_percent(user: User, task: Task, is_lead: bool) -> int:
    """The percentage the report form starts from: the task's progress for the
    lead unit, the unit's own last figure for a co-unit (the task's progress is
    the lead's figure for the whole task; offering it to a co-unit that has not
    reported yet invites it to report 100 % of a part it has not done)."""
    if is_lead:
        return task.progress
    last = (
        task.reports.filter(unit_id=user.unit_id)
        .order_by("-created_at", "-pk")
        .values_list("percent", flat=True)
        .first()
    )
    return last or 0


def task_report(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_task_for(request.user, pk, perm=REPORT)
    is_lead = refusals.is_lead(request.user, task)
    refusal = refusals.report_refusal(request.user, task)
    if refusal:
        messages.info(request, refusal)
        return redirect(task)
    form = ProgressReportForm(
        request.POST or None,
        request.FILES or None,
        initial={"percent": _report_start_percent(request.user, task, is_lead)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.progress_report_file(
                task=task,
                by=request.user,
                text=data["text"],
                percent=data["percent"],
                files=data["files"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("进展已报送。"))
            if is_lead and data["percent"] < task.progress:
                messages.warning(
                    request,
                    _(
                        "本次报送的总体进度 %(new)d%% 低于此前的 %(old)d%%，任务进度已按本次更新。"
                    )
                    % {"new": data["percent"], "old": task.progress},
                )
            return redirect(task)
    co_latest = []
    if is_lead:
        for link in task.co_unit_links.select_related("unit"):
            link.latest_report = (
                task.reports.filter(unit=link.unit).prefetch_related("evidence").first()
            )
            co_latest.append(link)
    return render(
        request,
        "tasks/report_form.html",
        {"task": task, "form": form, "is_lead": is_lead, "co_latest": co_latest},
    )


def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for(request.user, pk, edit=True)
    refusal = refusals.report_edit_refusal(request.user, report)
    if refusal:
        messages.info(request, refusal)
        return redirect(report)
    form = ProgressReportEditForm(
        request.POST or None,
        initial={
            "text": report.text,
            "percent": report.percent,
            "version": report.edit_version,
        },
    )
    stale = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.progress_report_edit(
                report=report,
                by=request.user,
                text=data["text"],
                percent=data["percent"],
                version=data["version"],
            )
        except services.StaleEdit as error:
            stale = True
            report.refresh_from_db()
            form = rebind_stale(
                form.__class__, request.POST, version=report.edit_version, error=error
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("进展报告已修改。"))
            return redirect(report)
    return render(
        request,
        "tasks/report_edit.html",
        {"form": form, "report": report, "task": report.task, "stale": stale},
    )


@require_POST
def task_closure(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_task_for(request.user, pk, perm=LEAD)
    form = NoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_refusal(form))
        return redirect(task)
    return _run(
        request,
        task,
        services.closure_request,
        _("已申请销号，等待办公室审核。"),
        note=form.cleaned_data["note"],
    )


def extension_request(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_task_for(request.user, pk, perm=LEAD)
    refusal = refusals.extension_refusal(request.user, task)
    if refusal:
        messages.info(request, refusal)
        return redirect(task)
    form = ExtensionRequestForm(request.POST or None, task=task)
    if request.method == "POST" and form.is_valid():
        try:
            extensions.extension_request(
                task=task,
                by=request.user,
                reason=form.cleaned_data["reason"],
                new_due_on=form.cleaned_data["new_due_on"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("延期申请已提交，等待审批。"))
            return redirect(task)
    return render(
        request,
        "tasks/extension_form.html",
        {
            "task": task,
            "form": form,
            "latest": extensions.extension_latest(task.due_on),
        },
    )


# --- office and leader actions --------------------------------------------


@require_POST
def task_return(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_task_for_office(request.user, pk)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_refusal(form))
        return redirect(task)
    report = None
    if form.cleaned_data["report"]:
        report = get_object_or_404(
            ProgressReport, pk=form.cleaned_data["report"], task=task
        )
    return _run(
        request,
        task,
        services.task_return,
        _("已退回，并通知了承办单位。"),
        reason=form.cleaned_data["reason"],
        report=report,
    )


@require_POST
def task_close(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_task_for_office(request.user, pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_refusal(form))
        return redirect(task)
    return _run(
        request,
        task,
        services.task_close,
        _("任务已销号。"),
        note=form.cleaned_data["note"],
    )


@require_POST
def task_waive(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_task_for_office(request.user, pk)
    form = WaiveForm(request.POST)
    if not form.is_valid():
        if "unit" in form.errors:
            raise Http404  # not a unit of this task's choices: nothing to waive
        messages.error(request, _form_refusal(form))
        return redirect(task)
    try:
        services.co_unit_waive(
            task=task,
            unit=form.cleaned_data["unit"],
            by=request.user,
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request,
            _("已确认 %(unit)s 免于报送配合进展。")
            % {"unit": form.cleaned_data["unit"].name},
        )
    return redirect(task)


@require_POST
def extension_decide(request: HttpRequest, pk: int) -> HttpResponse:
    extension = get_object_or_404(Extension, pk=pk)
    task = get_task_for_approver(request.user, extension.task_id)
    form = ExtensionDecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_refusal(form))
        return redirect(task)
    try:
        extensions.extension_decide(
            extension=extension,
            approve=form.cleaned_data["approve"],
            by=request.user,
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request,
            _("已批准延期。")
            if form.cleaned_data["approve"]
            else _("已决定不予延期。"),
        )
    return redirect(task)


# --- evidence --------------------------------------------------------------


@require_GET
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    """Evidence is never served by the web server: only here, after the task check."""
    evidence = get_evidence_for(request.user, pk)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    export_event(request, "evidence", evidence)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type or "application/octet-stream",
    )
    response["Cache-Control"] = "private, no-store"
    return response
