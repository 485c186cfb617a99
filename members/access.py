"""Who may see or change what: the one access helper of the members app.

Every view fetches objects through a ``get_*_for`` helper. People who may not see
an object get 404 (its existence is not revealed); people who may see it but not
change it get 403.
"""

from __future__ import annotations

from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404
from django.shortcuts import get_object_or_404
from guardian.conf import settings as guardian_settings
from guardian.core import ObjectPermissionChecker

from .models import Unit, User

M = TypeVar("M", bound=models.Model)


def sees_everything(user: User) -> bool:
    return bool(user.is_authenticated and user.sees_everything)


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

    Every object-permission check shares it, so an object's permissions cost one
    query however many checks a page makes; ``user.has_perm(perm, obj)`` would
    build a new checker, and query again, every time. It is kept on the user
    object, which the authentication middleware loads afresh for every request,
    so it never outlives the request; code that holds one User across grant
    changes (a shell, a script) must load the user again.
    """
    checker = getattr(user, "_object_permission_checker", None)
    if checker is None:
        checker = _Checker(user)
        user._object_permission_checker = checker
    return checker


def has_object_perm(user: User, perm: str, obj: models.Model) -> bool:
    """``user.has_perm(perm, obj)`` through the request's shared checker."""
    if not user.is_authenticated or not user.is_active:
        return False
    return permission_checker(user).has_perm(perm, obj)


def may_view(user: User, obj: models.Model, perm: str) -> bool:
    """Office and leaders see everything; others need the object permission."""
    if not user.is_authenticated or not user.is_active:
        return False
    return sees_everything(user) or has_object_perm(user, perm, obj)


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
