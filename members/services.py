"""Workflows of the members app: loading the founding document, holding posts, accounts."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jinwei_ip.lib.dates import check_date
from jinwei_ip.lib.hooks import Hook

from .grants import grant_unit_access, unit_group
from .models import (
    LeadingGroup,
    Membership,
    Person,
    Position,
    Provision,
    Unit,
    UnitAlias,
    User,
)

FOUNDING_FILE = Path(settings.BASE_DIR) / "fixtures" / "founding.json"

# The founding document's parts that other apps keep (duties: each unit's duty
# clauses): (the document's data, its units by code) → None, registered from the
# app's ``AppConfig.ready`` and run inside ``founding_load``'s transaction.
FoundingPart = Callable[[dict[str, Any], dict[str, Unit]], None]
founding_parts: Hook[FoundingPart] = Hook("members.services.founding_parts")


@transaction.atomic
def founding_load(*, data: dict[str, Any] | None = None) -> LeadingGroup:
    """Load (or refresh) the group, its units and positions, and (through the
    registered parts) what other apps keep of the document: the duty clauses.

    Idempotent: running it again updates texts in place and never duplicates rows,
    so ``make run`` can call it on every start.
    """
    if data is None:
        data = json.loads(FOUNDING_FILE.read_text(encoding="utf-8"))
    g = data["group"]
    units: dict[str, Unit] = {}
    for order, u in enumerate(data["units"], start=1):
        unit, _created = Unit.objects.update_or_create(
            code=u["code"],
            defaults={
                "name": u["name"],
                "full_name": u.get("full_name", ""),
                "is_member": u.get("is_member", True),
                "order": order,
                "duty_summary": u.get("duty_text", ""),
            },
        )
        for alias in u.get("aliases", []):
            UnitAlias.objects.update_or_create(name=alias, defaults={"unit": unit})
        unit_group(unit)
        grant_unit_access(unit)
        units[unit.code] = unit

    group, _created = LeadingGroup.objects.update_or_create(
        name=g["name"],
        defaults={
            "short_name": g["short_name"],
            "document_number": g["document_number"],
            "document_title": g["document_title"],
            "issuer": g["issuer"],
            "founded_on": date.fromisoformat(g["founded_on"]),
            "purpose": g["purpose"],
            "office_unit": units[g["office_unit"]],
        },
    )
    for kind, items in (
        (Provision.Kind.TASK, g["tasks"]),
        (Provision.Kind.RULE, g["rules"]),
        (Provision.Kind.REQUIREMENT, g["requirements"]),
    ):
        for number, text in enumerate(items, start=1):
            Provision.objects.update_or_create(
                group=group, kind=kind, number=number, defaults={"text": text}
            )
    for order, p in enumerate(data["positions"], start=1):
        unit = units.get(p.get("unit", ""))
        lookup = {"group": group, "kind": p["kind"]}
        if p["kind"] == Position.Kind.MEMBER:
            lookup["unit"] = unit
        Position.objects.update_or_create(
            **lookup, defaults={"post": p["post"], "unit": unit, "order": order}
        )
    for load_part in founding_parts:
        load_part(data, units)
    return group


@transaction.atomic
def position_assign(
    *, position: Position, person: Person, start_on: date, note: str = ""
) -> Membership:
    """Make person the holder of position from start_on; the former holder's term ends
    the day before, and stays in the history."""
    check_date(start_on, field="start_on", label=_("任职起始日期"))
    current = (
        Membership.objects.select_for_update()
        .filter(position=position, end_on__isnull=True)
        .first()
    )
    if current is not None:
        if current.person_id == person.pk:
            raise ValidationError(_("%(person)s 已担任该职务。") % {"person": person})
        if start_on <= current.start_on:
            raise ValidationError(
                _("新任职日期必须晚于现任 %(person)s 的任职起始日 %(day)s。")
                % {"person": current.person, "day": current.start_on}
            )
        current.end_on = start_on - timedelta(days=1)
        current.save(update_fields=["end_on"])
    return Membership.objects.create(
        position=position, person=person, start_on=start_on, note=note
    )


@transaction.atomic
def account_save(
    *,
    user: User,
    role: str,
    unit: Unit | None,
) -> User:
    """Set an account's role and unit, and put it in exactly its unit's group."""
    if role in {User.Role.LIAISON, User.Role.UNIT_HEAD} and unit is None:
        raise ValidationError({"unit": _("联络员和单位负责同志必须选择所属单位。")})
    user.role = role
    user.unit = unit
    user.save()
    unit_groups = list(
        Unit.objects.exclude(auth_group=None).values_list("auth_group", flat=True)
    )
    user.groups.remove(*unit_groups)
    if user.unit is not None and user.is_unit_member:
        user.groups.add(unit_group(user.unit))
    office = office_group_sync() if role == User.Role.OFFICE else None
    if office is not None:
        user.groups.add(office)
        if not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
    else:
        user.groups.remove(*Group.objects.filter(name=OFFICE_GROUP))
    user.forget_group_ids()
    return user


def account_create(
    *,
    username: str,
    password: str,
    display_name: str,
    role: str,
    unit: Unit | None = None,
    person: Person | None = None,
    email: str = "",
    is_staff: bool = False,
) -> User:
    user = User(
        username=username,
        display_name=display_name,
        email=email,
        person=person,
        is_staff=is_staff,
    )
    user.set_password(password)
    return account_save(user=user, role=role, unit=unit)


OFFICE_GROUP = "领导小组办公室"


def office_models() -> dict[str, list[str]]:
    """Models the office manages in the admin, by app: each app lists its own in
    ``AppConfig.office_models`` (the roster here, duties, the workday table).
    Accounts are the system administrator's (security app, 三员分立), not the
    office's."""
    return {
        config.label: list(config.office_models)
        for config in apps.get_app_configs()
        if getattr(config, "office_models", None)
    }


def office_group_sync() -> Group:
    """The office's auth group, holding model permissions for what the office manages.

    Only office accounts are in it: unit accounts hold no model permissions at all,
    so nothing global can leak another unit's work to them.
    """
    group, _created = Group.objects.get_or_create(name=OFFICE_GROUP)
    managed = office_models()
    perms = Permission.objects.filter(
        content_type__app_label__in=managed.keys()
    ).select_related("content_type")
    group.permissions.set(
        [
            p
            for p in perms
            if p.content_type.model in managed[p.content_type.app_label]
            and not p.codename.startswith("view_unit_private")
        ]
    )
    return group
