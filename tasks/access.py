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

from . import refusals
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


def get_plan_for(user: User, pk: int, *, office: bool = False) -> WorkPlan:
    """Work plans are the office's and the leaders' pages; units see their tasks
    (404). With ``office``, only office staff may act (leaders get 403)."""
    if not (user.is_authenticated and user.sees_everything):
        raise Http404
    plan = get_object_or_404(WorkPlan, pk=pk)
    if office and not user.is_office:
        raise PermissionDenied
    return plan


def may(user: User, perm: str, task: Task) -> bool:
    return has_object_perm(user, perm, task)


def task_actions(user: User, task: Task) -> dict[str, bool]:
    """What the task page offers this person: each action the task services would
    accept now, asked of the services' own rules (``tasks.refusals``)."""
    return {
        "sign": refusals.sign_refusal(user, task) is None,
        "acknowledge": refusals.acknowledge_refusal(user, task) is None,
        "report": refusals.report_refusal(user, task) is None,
        "closure": refusals.closure_refusal(user, task) is None,
        "extension": refusals.extension_refusal(user, task) is None,
        "return": refusals.return_refusal(user, task) is None,
        "close": refusals.close_refusal(user, task) is None,
        "edit": refusals.edit_refusal(user, task) is None,
        "is_lead": refusals.is_lead(user, task),
    }
