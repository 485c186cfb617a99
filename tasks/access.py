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
from django.http import Http404
from django.shortcuts import get_object_or_404
from guardian.conf import settings as guardian_settings
from guardian.core import ObjectPermissionChecker

from members.access import may_view
from members.models import User

from .models import Evidence, ProgressReport, Task, WorkPlan

VIEW = "tasks.view_task"
REPORT = "tasks.report_task"
LEAD = "tasks.lead_task"


class _Checker(ObjectPermissionChecker):
    """guardian's checker, reading a person's own and their groups' permissions on
    an object with one UNION query instead of two (each arm is guardian's own
    indexed lookup; an OR across both tables is what guardian avoids)."""

    def get_perms(self, obj) -> list[str]:
        user = self.user
        key = self.get_local_cache_key(obj)
        if (
            key not in self._obj_perms_cache
            and user is not None
            and user.is_active
            and not user.is_superuser
            and not guardian_settings.AUTO_PREFETCH
        ):
            own = self.get_user_perms(obj).order_by()
            via_groups = self.get_group_perms(obj).order_by()
            self._obj_perms_cache[key] = list(set(own.union(via_groups)))
        return super().get_perms(obj)


def permission_checker(user: User) -> ObjectPermissionChecker:
    """The one guardian checker of this person's request.

    Every object-permission check shares it, so a task's permissions cost one
    query however many checks a page makes; ``user.has_perm(perm, task)`` would
    build a new checker, and query again, every time. It is kept on the user
    object, which the authentication middleware loads afresh for every request,
    so it never outlives the request; code that holds one User across grant
    changes (a shell, a script) must load the user again.
    """
    checker = getattr(user, "_task_permission_checker", None)
    if checker is None:
        checker = _Checker(user)
        user._task_permission_checker = checker
    return checker


def _may_view(user: User, task: Task) -> bool:
    # guardian's checker cannot be built for an anonymous user (no anonymous
    # account is configured); may_view turns them away before any check.
    checker = permission_checker(user) if user.is_authenticated else None
    return may_view(user, task, VIEW, checker=checker)


def get_task_for(user: User, pk: int, perm: str | None = None) -> Task:
    """The task if ``user`` may see it (else 404); with ``perm``, also require that
    object permission (else 403)."""
    task = get_object_or_404(
        Task.objects.select_related(
            "lead_unit", "decision__minutes__meeting", "plan", "signed_by", "closed_by"
        ),
        pk=pk,
    )
    if not _may_view(user, task):
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
    if not _may_view(user, report.task):
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
    if not _may_view(user, evidence.report.task):
        raise Http404
    return evidence


def get_plan_for(user: User, pk: int) -> WorkPlan:
    """Work plans are the office's and the leaders' pages; units see their tasks."""
    if not (user.is_authenticated and user.sees_everything):
        raise Http404
    return get_object_or_404(WorkPlan, pk=pk)


def may(user: User, perm: str, task: Task) -> bool:
    """``user.has_perm(perm, task)`` through the request's shared checker."""
    return user.is_authenticated and permission_checker(user).has_perm(perm, task)


def task_actions(user: User, task: Task) -> dict[str, bool]:
    """What the task page offers this person (the views check again on POST)."""
    is_lead = may(user, LEAD, task)
    may_report = may(user, REPORT, task)
    is_open = task.status != Task.Status.CLOSED
    office = user.is_office
    S = Task.Status
    return {
        "sign": is_lead and task.status == S.ASSIGNED,
        "acknowledge": may_report and not is_lead and is_open,
        "report": may_report and is_open and task.status != S.ASSIGNED,
        "closure": is_lead and task.status in (S.SIGNED, S.IN_PROGRESS, S.RETURNED),
        "extension": is_lead and is_open,
        "decide_extension": user.sees_everything and is_open,
        "return": office and task.status in (S.IN_PROGRESS, S.CLOSURE_REQUESTED),
        "close": office and task.status == S.CLOSURE_REQUESTED,
        "waive": office and is_open,
        "edit": office and is_open,
        "is_lead": is_lead,
        "may_report": may_report,
    }
