"""The fixed cast every test uses, built once per test database with plain ORM calls.

- office:     办公室工作人员 陈静 (sees and manages everything)
- leader:     组长 (区政府分管副区长), read-only overseer who approves
- deputy:     副组长 (区市场监管局局长)
- liaison_a:  联络员 of 区司法局 (unit A)
- head_a:     分管负责同志 of 区司法局
- liaison_b:  联络员 of 区财政局 (unit B)
- outsider:   联络员 of 区林业局, shares nothing with A or B
- nobody:     an active account with no role or unit
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from members.models import Person, Position, Unit, User
from members.services import (
    account_create,
    founding_load,
    office_group_sync,
    position_assign,
)

PASSWORD = "cast-password-123"

CAST = {
    # username: (display name, role, unit code)
    "office": ("陈静", User.Role.OFFICE, "scjgj"),
    "leader": ("王建华", User.Role.LEADER, None),
    "deputy": ("李志强", User.Role.LEADER, "scjgj"),
    "liaison_a": ("沈玉兰", User.Role.LIAISON, "sfj"),
    "head_a": ("蒋平", User.Role.UNIT_HEAD, "sfj"),
    "liaison_b": ("杨柳", User.Role.LIAISON, "czj"),
    "outsider": ("施琳", User.Role.LIAISON, "lyj"),
    "nobody": ("无角色", "", None),
}


def build_cast() -> None:
    founding_load()
    office_group_sync()
    units = {u.code: u for u in Unit.objects.all()}
    for username, (name, role, code) in CAST.items():
        unit = units[code] if code else None
        person = Person.objects.create(name=name, unit=unit)
        account_create(
            username=username,
            password=PASSWORD,
            display_name=name,
            role=role,
            unit=unit,
            person=person,
            email=f"{username}@example.invalid",
        )
    leader = Person.objects.get(name="王建华")
    position_assign(
        position=Position.objects.get(kind=Position.Kind.LEADER),
        person=leader,
        start_on=date(2022, 9, 22),
    )
    deputy = Person.objects.get(name="李志强")
    for kind in (Position.Kind.DEPUTY, Position.Kind.OFFICE_DIRECTOR):
        position_assign(
            position=Position.objects.get(kind=kind),
            person=deputy,
            start_on=date(2022, 9, 22),
        )
    position_assign(
        position=Position.objects.get(kind=Position.Kind.MEMBER, unit=units["sfj"]),
        person=Person.objects.get(name="蒋平"),
        start_on=date(2022, 9, 22),
    )


@dataclass
class Cast:
    office: User
    leader: User
    deputy: User
    liaison_a: User
    head_a: User
    liaison_b: User
    outsider: User
    nobody: User
    unit_a: Unit
    unit_b: Unit
    unit_out: Unit

    @classmethod
    def load(cls) -> Cast:
        users = {u.username: u for u in User.objects.filter(username__in=CAST)}
        units = {u.code: u for u in Unit.objects.filter(code__in=["sfj", "czj", "lyj"])}
        return cls(
            **users, unit_a=units["sfj"], unit_b=units["czj"], unit_out=units["lyj"]
        )
