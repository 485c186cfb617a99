"""Who may see or act on a task: the one access helper of the tasks app.

404 for people who may not see a task (its existence is not revealed); 403 for
people who see it but may not do the action (a leader on a unit action, a co-unit
asking for closure). Unit rights come from object permissions on the task, granted
to the unit's auth group by the task services only:

- lead unit: tasks.view_task, tasks.report_task, tasks.lead_task
- co-unit:   tasks.view_task, tasks.report_task
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404

from meetings.models import Decision
from members.access import has_object_perm, may_view
from members.models import User

from .models import Evidence, ProgressReport, Task, WorkPlan

VIEW = "tasks.view_task"
REPORT = "tasks.report_task"
LEAD = "tasks.lead_task"


def get_task_for(user: User, pk: int, perm: str | None = None) -> Task:
    """The task if ``user`` may see it (else 404); with ``perm``, also require that
    object permission (else 403)."""
    # Two small queries rather than one of eight joined tables: PostgreSQL spent
    # ~2.7 ms choosing that join order for a single row, on every task page.
    task = get_object_or_404(
        Task.objects.select_related(
            "lead_unit", "plan", "signed_by", "closed_by"
        ).prefetch_related(
            Prefetch("decision", Decision.objects.select_related("minutes__meeting"))
        ),
        pk=pk,
    )
    if not may_view(user, task, VIEW):
        raise Http404
    if perm is not None and not may(user, perm, task):
        raise PermissionDenied
    return task


def get_task_for_office(user: User, pk: int) -> Task:
    task = get_task_for(user, pk)
    if not user.is_office:
        raise PermissionDenied
    return task


def get_task_for_approver(user: User, pk: int) -> Task:
    """Extensions are decided by the office or a leader."""
    task = get_task_for(user, pk)
    if not user.sees_everything:
        raise PermissionDenied
    return task


def get_report_for(user: User, pk: int, *, edit: bool = False) -> ProgressReport:
    report = get_object_or_404(
        ProgressReport.objects.select_related("task", "unit", "author"), pk=pk
    )
    if not may_view(user, report.task, VIEW):
        raise Http404
    if edit and not (
        user.is_unit_member
        and user.unit_id == report.unit_id
        and may(user, REPORT, report.task)
    ):
        raise PermissionDenied
    return report


def get_evidence_for(user: User, pk: int) -> Evidence:
    evidence = get_object_or_404(Evidence.objects.select_related("report__task"), pk=pk)
    if not may_view(user, evidence.report.task, VIEW):
        raise Http404
    return evidence


def get_plan_for(user: User, pk: int) -> WorkPlan:
    """Work plans are the office's and the leaders' pages; units see their tasks."""
    if not (user.is_authenticated and user.sees_everything):
        raise Http404
    return get_object_or_404(WorkPlan, pk=pk)


def may(user: User, perm: str, task: Task) -> bool:
    return has_object_perm(user, perm, task)


def task_actions(user: User, task: Task) -> dict[str, bool]:
    """What the task page offers this person (the views check again on POST)."""
    is_lead = may(user, LEAD, task)
    may_report = may(user, REPORT, task)
    is_open = task.status != Task.Status.CLOSED
    office = user.is_office
    S = Task.Status
    # While the office reviews a closure request the lead unit's side is frozen:
    # no new report, no correction, no extension until the task is returned.
    in_review = task.status == S.CLOSURE_REQUESTED
    workable = task.status in (S.SIGNED, S.IN_PROGRESS, S.RETURNED)
    return {
        "sign": is_lead and task.status == S.ASSIGNED,
        "acknowledge": may_report and not is_lead and is_open,
        "report": may_report
        and is_open
        and task.status != S.ASSIGNED
        and not (is_lead and in_review),
        "edit_reports": is_open and not in_review,
        # 申请销号 once the lead's report says the task is done (services check it)
        "closure": is_lead and workable and task.progress == 100,
        "closure_later": is_lead and workable and task.progress < 100,
        "extension": is_lead and is_open and not in_review,
        "decide_extension": user.sees_everything and is_open,
        "return": office and task.status in (S.IN_PROGRESS, S.CLOSURE_REQUESTED),
        "close": office and task.status == S.CLOSURE_REQUESTED,
        "waive": office and is_open,
        "edit": office and is_open,
        "is_lead": is_lead,
        "may_report": may_report,
    }
