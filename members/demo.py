"""Demo people and accounts for ``make run``: one per role, a liaison and a head per unit."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import transaction

from .models import Person, Position, Unit, User
from .services import account_create, position_assign

DEMO_FILE = Path(settings.BASE_DIR) / "fixtures" / "demo_people.json"
DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "jinwei-demo-2026")
TERM_START = date(2022, 9, 22)


def _person(name: str, unit: Unit | None, job_title: str) -> Person:
    person, _ = Person.objects.get_or_create(
        name=name, unit=unit, defaults={"job_title": job_title}
    )
    return person


def _hold(kind: str, person: Person, unit: Unit | None = None) -> None:
    lookup = {"kind": kind} if unit is None else {"kind": kind, "unit": unit}
    position = Position.objects.get(**lookup)
    if not position.memberships.filter(end_on__isnull=True).exists():
        position_assign(position=position, person=person, start_on=TERM_START)


def _account(username: str, person: Person, role: str, unit: Unit | None) -> None:
    if not User.objects.filter(username=username).exists():
        account_create(
            username=username,
            password=DEMO_PASSWORD,
            display_name=person.name,
            role=role,
            unit=unit,
            person=person,
            email=f"{username}@example.invalid",
            is_staff=role == User.Role.OFFICE,
        )


@transaction.atomic
def load() -> list[tuple[str, str, str]]:
    """Create the demo cast; returns (username, role, unit) rows to print."""
    data = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    units = {u.code: u for u in Unit.objects.all()}
    people: dict[str, Person] = {}
    for row in data["leaders"]:
        if "same_as" in row:
            _hold(row["position"], people[row["same_as"]])
            continue
        unit = units.get(row["unit"]) if row["unit"] else None
        person = _person(row["name"], unit, row["job_title"])
        people[row["name"]] = person
        _hold(row["position"], person)
        _account(row["username"], person, row["role"], unit)
    for row in data["office_staff"]:
        unit = units[row["unit"]]
        person = _person(row["name"], unit, row["job_title"])
        _account(row["username"], person, row["role"], unit)
    for code, (head_name, liaison_name) in data["members"].items():
        unit = units[code]
        head = _person(head_name, unit, f"{unit.name}分管负责同志")
        _hold(Position.Kind.MEMBER, head, unit)
        _account(f"head_{code}", head, User.Role.UNIT_HEAD, unit)
        liaison = _person(liaison_name, unit, f"{unit.name}知识产权工作联络员")
        _account(f"liaison_{code}", liaison, User.Role.LIAISON, unit)
    order = {
        role: i for i, role in enumerate(["office", "leader", "liaison", "unit_head"])
    }
    accounts = (
        User.objects.exclude(role="")
        .select_related("unit")
        .order_by("unit__order", "id")
    )
    return [
        (u.username, u.get_role_display(), u.unit.name if u.unit else "")
        for u in sorted(accounts, key=lambda u: order[u.role])
    ]
