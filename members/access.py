"""Who may see or change what: the one access helper of the members app.

Every view fetches objects through a ``get_*_for`` helper. People who may not see
an object get 404 (its existence is not revealed); people who may see it but not
change it get 403.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import Unit, User

if TYPE_CHECKING:
    from guardian.core import ObjectPermissionChecker

M = TypeVar("M", bound=models.Model)


def sees_everything(user: User) -> bool:
    return bool(user.is_authenticated and user.sees_everything)


def may_view(
    user: User,
    obj: models.Model,
    perm: str,
    *,
    checker: ObjectPermissionChecker | None = None,
) -> bool:
    """Office and leaders see everything; others need the object permission.

    A caller that checks several permissions on one page may pass its guardian
    ``checker`` (built for ``user``) so the checks share one permission lookup."""
    if not user.is_authenticated or not user.is_active:
        return False
    if sees_everything(user):
        return True
    if checker is not None:
        return checker.has_perm(perm, obj)
    return user.has_perm(perm, obj)


def require_office(user: User) -> None:
    if not (user.is_authenticated and user.is_office):
        raise PermissionDenied


def require_overseer(user: User) -> None:
    """Office staff or leaders; other signed-in people may not open the page at all."""
    if not sees_everything(user):
        raise Http404


def get_visible_or_404(
    user: User, queryset: models.QuerySet[M], perm: str, **lookup
) -> M:
    obj = get_object_or_404(queryset, **lookup)
    if not may_view(user, obj, perm):
        raise Http404
    return obj


def get_unit_for(user: User, code: str) -> Unit:
    """Public unit page: every signed-in member of the group may read it."""
    return get_object_or_404(Unit, code=code)


def get_unit_private_for(user: User, code: str) -> Unit:
    """A unit's internal page: its own accounts, the office and the leaders."""
    return get_visible_or_404(
        user, Unit.objects.all(), "members.view_unit_private", code=code
    )


def may_view_unit_private(user: User, unit: Unit) -> bool:
    return may_view(user, unit, "members.view_unit_private")
