"""The one place that writes object permissions (django-guardian).

Object permissions are granted to a unit's auth group, never to single people, so
a liaison who changes unit changes what they see by changing groups. Apps call
``set_unit_grants`` from their services when they assign or reassign work.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.contrib.auth.models import Group, Permission
from django.db import models, transaction

from .models import Unit


def _permission(perm: str) -> Permission:
    app_label, codename = perm.split(".", 1)
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _group_permission_model(obj: models.Model) -> type[models.Model]:
    """The direct-FK group permission model of obj's class (``<Model>GroupObjectPermission``)."""
    rel = f"{obj._meta.model_name}groupobjectpermission"
    return obj._meta.get_field(rel).related_model


@transaction.atomic
def set_unit_grants(obj: models.Model, grants: Mapping[Unit, Iterable[str]]) -> None:
    """Make the given units' groups hold exactly these permissions on obj.

    ``grants`` maps a unit to the permissions ("app.codename") it holds on obj;
    every grant on obj not listed is removed, so the call is idempotent and a
    reassignment takes away what the former unit had.
    """
    model = _group_permission_model(obj)
    wanted: set[tuple[int, int]] = set()
    perms: dict[str, Permission] = {}
    for unit, perm_names in grants.items():
        group = unit_group(unit)
        for name in perm_names:
            if name not in perms:
                perms[name] = _permission(name)
            wanted.add((group.pk, perms[name].pk))
    existing = set(
        model.objects.filter(content_object=obj).values_list(
            "group_id", "permission_id"
        )
    )
    stale = existing - wanted
    for group_id, permission_id in stale:
        model.objects.filter(
            content_object=obj, group_id=group_id, permission_id=permission_id
        ).delete()
    model.objects.bulk_create(
        [
            model(content_object=obj, group_id=group_id, permission_id=permission_id)
            for group_id, permission_id in wanted - existing
        ]
    )


def unit_group(unit: Unit) -> Group:
    """The auth group of a unit's accounts, created on first use."""
    if unit.auth_group_id is None:
        group, _ = Group.objects.get_or_create(name=f"unit:{unit.code}")
        unit.auth_group = group
        unit.save(update_fields=["auth_group"])
    return unit.auth_group


def grant_unit_access(unit: Unit) -> None:
    """A unit's own accounts see its internal pages (people, contacts, scorecard)."""
    set_unit_grants(unit, {unit: ["members.view_unit_private"]})
