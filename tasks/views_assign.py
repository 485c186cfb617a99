"""Assigning tasks and changing what was assigned: a task from a decided matter,
the tasks of a whole minutes, a task of a work plan; editing and reassigning a
task (the office).

The same rules as ``tasks.views``: objects through ``tasks.access``, changes
through ``tasks.services``."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from jinwei_ip.lib.forms import rebind_stale
from meetings.models import Decision, Minutes
from members.access import require_office

from . import from_minutes, services
from .access import get_plan_for, get_task_for_office
from .forms import TaskAssignForm, TaskEditForm, TaskReassignForm
from .models import WorkPlan


def _assign_page(
    request: HttpRequest,
    *,
    decision: Decision | None = None,
    plan: WorkPlan | None = None,
    initial: dict,
) -> HttpResponse:
    form = TaskAssignForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            task = services.task_assign(
                decision=decision,
                plan=plan,
                lead=data["lead"],
                co_units=data["co_units"],
                due=data["due"],
                duties=data["duties"],
                title=data["title"],
                description=data["description"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("已交办任务 %(code)s，并通知了承办单位。") % {"code": task.code},
            )
            return redirect(task)
    return render(
        request,
        "tasks/task_form.html",
        {
            "form": form,
            "decision": decision,
            "plan": plan,
            "existing": decision.tasks.select_related("lead_unit")
            if decision
            else None,
        },
    )


def task_create_from_decision(request: HttpRequest, decision_pk: int) -> HttpResponse:
    require_office(request.user)
    decision = get_object_or_404(
        Decision.objects.select_related("minutes__meeting"), pk=decision_pk
    )
    if decision.minutes.status != decision.minutes.Status.ISSUED:
        messages.error(request, _("会议纪要印发后，议定事项才能转为督办任务。"))
        return redirect(decision.minutes)
    if not decision.minutes.is_current:
        messages.error(
            request,
            _("该版纪要已被更正版本取代，请在现行版本中将议定事项转为督办任务。"),
        )
        return redirect(decision.minutes)
    suggested = decision.suggested_units_in_order()
    text = decision.text.strip()
    initial = {
        "title": text if len(text) <= 60 else text[:58] + "…",
        "description": text,
        "lead": suggested[0] if suggested else None,
        "co_units": suggested[1:],
    }
    return _assign_page(request, decision=decision, initial=initial)


def tasks_create_from_minutes(request: HttpRequest, minutes_pk: int) -> HttpResponse:
    """All decided matters of issued minutes to tasks from one page."""
    require_office(request.user)
    minutes = get_object_or_404(
        Minutes.objects.select_related("meeting"), pk=minutes_pk
    )
    if not minutes.is_current:
        messages.error(
            request,
            _("只有现行有效的已印发纪要，其议定事项才能转为督办任务。"),
        )
        return redirect(minutes)
    rows = from_minutes.matter_rows(minutes, request.POST or None)
    if request.method == "POST":
        forms_ok = all(form.is_valid() for _d, _t, form in rows)
        ticked = forms_ok and any(f.cleaned_data["include"] for _d, _t, f in rows)
        if forms_ok and not ticked:
            messages.error(request, _("请至少勾选一项要转为任务的议定事项。"))
        elif forms_ok:
            try:
                tasks = from_minutes.matters_convert(rows=rows, by=request.user)
            except ValidationError as error:
                messages.error(request, "；".join(error.messages))
            else:
                messages.success(
                    request,
                    _("已交办 %(n)d 项任务（%(codes)s），并通知了承办单位。")
                    % {"n": len(tasks), "codes": "、".join(t.code for t in tasks)},
                )
                return redirect(minutes)
        else:
            messages.error(
                request, _("有议定事项填写有误，请按提示修改；尚未交办任何任务。")
            )
    return render(
        request,
        "tasks/from_minutes.html",
        {"minutes": minutes, "meeting": minutes.meeting, "rows": rows},
    )


def task_create_for_plan(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for(request.user, pk, office=True)
    return _assign_page(request, plan=plan, initial={"due": date(plan.year, 12, 31)})


def task_edit(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_task_for_office(request.user, pk)
    form = TaskEditForm(
        request.POST or None,
        task=task,
        initial={
            "title": task.title,
            "description": task.description,
            "duties": task.duties.all(),
            "version": task.edit_version,
        },
    )
    stale = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.task_edit(
                task=task,
                title=data["title"],
                description=data["description"],
                duties=data["duties"],
                by=request.user,
                version=data["version"],
            )
        except services.StaleEdit as error:
            stale = True
            task.refresh_from_db()
            form = rebind_stale(
                form.__class__,
                request.POST,
                version=task.edit_version,
                error=error,
                task=task,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("任务内容已保存。"))
            return redirect(task)
    return render(
        request,
        "tasks/task_edit.html",
        {"form": form, "task": task, "stale": stale, "title": _("修改任务内容")},
    )


def task_reassign(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_task_for_office(request.user, pk)
    form = TaskReassignForm(
        request.POST or None,
        initial={
            "lead": task.lead_unit,
            "co_units": task.co_units.all(),
            "due": task.due_on,
            "version": task.edit_version,
        },
    )
    stale = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.task_reassign(
                task=task,
                lead=data["lead"],
                co_units=data["co_units"],
                due=data["due"],
                by=request.user,
                version=data["version"],
            )
        except services.StaleEdit as error:
            stale = True
            task.refresh_from_db()
            form = rebind_stale(
                form.__class__, request.POST, version=task.edit_version, error=error
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("承办单位和时限已调整，权限已重新授予。"))
            return redirect(task)
    return render(
        request,
        "tasks/task_edit.html",
        {"form": form, "task": task, "stale": stale, "title": _("调整承办单位与时限")},
    )
