"""Who may see what in oversight, in one place: the dashboard and its figure lists
for the office and the leaders (a unit's people: their own unit's figures), the
scorecard for those who may see the unit's internal pages, bulletins for the
office and the leaders (issued ones for member units too).

Views fetch through these helpers: 404 to people who may not see, 403 to those
who may see but not change.
"""

from __future__ import annotations

import dataclasses

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from duties.models import DutyClause
from members.access import may_view_unit_private, require_overseer, sees_everything
from members.models import Unit, User
from tasks.models import Task

from .dashboard import Selection
from .models import Bulletin

# --- figures ---------------------------------------------------------------


def require_dashboard(user: User) -> None:
    """The dashboard is for the office and the leaders (404 for anyone else)."""
    require_overseer(user)


def may_see_scorecard(user: User, unit: Unit | None) -> bool:
    """A unit's scorecard: for those who may see its internal pages (its own
    accounts, the office and the leaders)."""
    return unit is not None and may_view_unit_private(user, unit)


def figure_selection_for(user: User, selection: Selection, duty: str) -> Selection:
    """What a figure list may show ``user`` (404 else): the office and the leaders
    any figure; a unit's people their own unit's only. Only the office and the
    leaders list a clause's tasks (``duty``: the catalogue shows them the counts)."""
    overseer = sees_everything(user)
    if duty:
        if not overseer or not duty.isdigit():
            raise Http404
        selection = dataclasses.replace(
            selection, duty=get_object_or_404(DutyClause, pk=int(duty))
        )
    if not overseer and not may_see_scorecard(user, selection.unit):
        raise Http404
    return selection


def visible_figure_tasks(user: User, qs: QuerySet[Task]) -> QuerySet[Task]:
    """The tasks of a figure that ``user`` may open."""
    if sees_everything(user):
        return qs
    return qs.filter(pk__in=Task.objects.visible_to(user).values("pk"))


# --- bulletins -------------------------------------------------------------


def visible_bulletins(user: User) -> QuerySet[Bulletin]:
    """Every bulletin for the office and the leaders, issued ones for unit accounts,
    none for anyone else."""
    if not (user.is_authenticated and user.is_active):
        return Bulletin.objects.none()
    if user.sees_everything:
        return Bulletin.objects.all()
    if user.is_unit_member:
        return Bulletin.objects.filter(status=Bulletin.Status.ISSUED)
    return Bulletin.objects.none()


def get_bulletin_for(user: User, pk: int) -> Bulletin:
    """The bulletin if ``user`` may read it, else 404 (a draft stays hidden)."""
    return get_object_or_404(
        visible_bulletins(user).select_related("created_by", "issued_by"), pk=pk
    )


def get_bulletin_for_office(user: User, pk: int) -> Bulletin:
    """404 for people who may not read it, 403 for readers who are not the office."""
    bulletin = get_bulletin_for(user, pk)
    if not user.is_office:
        raise PermissionDenied
    return bulletin


def require_bulletin_reader(user: User) -> None:
    if not (user.is_authenticated and (user.sees_everything or user.is_unit_member)):
        raise Http404


def require_bulletin_writer(user: User) -> None:
    """Drafting: 404 for people who may not read bulletins, 403 for readers who
    are not the office."""
    require_bulletin_reader(user)
    if not user.is_office:
        raise PermissionDenied
