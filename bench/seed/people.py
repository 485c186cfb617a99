"""Benchmark accounts and the holders of the group's positions."""

from __future__ import annotations

from datetime import date

from members.grants import unit_group
from members.models import Membership, Person, Position, Unit, User
from members.services import office_group_sync

from .base import BATCH, BENCH_PASSWORD, GIVEN, SURNAMES


class PeopleSeeder:
    def _name(self) -> str:
        return self.rng.choice(SURNAMES) + "".join(
            self.rng.choice(GIVEN) for _ in range(self.rng.choice((1, 2)))
        )

    def make_users(self, count: int) -> None:
        """Office staff, two leaders, and liaisons/heads spread over the units.

        Usernames are stable: bench_office, bench_office2…, bench_leader,
        bench_deputy, bench_liaison_<code>[_n], bench_head_<code>[_n]."""
        hasher_user = User()
        hasher_user.set_password(BENCH_PASSWORD)
        password = (
            hasher_user.password
        )  # hash once: PBKDF2 200 times would take minutes
        existing = set(User.objects.values_list("username", flat=True))
        specs: list[tuple[str, str, Unit | None, bool]] = []
        offices = max(2, count // 50)
        for n in range(offices):
            specs.append(
                (
                    f"bench_office{n + 1 if n else ''}",
                    User.Role.OFFICE,
                    self.units[1],
                    n == 0,
                )
            )
        specs.append(("bench_leader", User.Role.LEADER, None, False))
        specs.append(("bench_deputy", User.Role.LEADER, self.units[1], False))
        remaining = max(0, count - len(specs))
        for n in range(remaining):
            # Per unit: liaison_<code>, head_<code>, then liaison_<code>_3, _4 …
            unit = self.units[n % len(self.units)]
            rank = n // len(self.units)
            if rank == 1:
                specs.append(
                    (f"bench_head_{unit.code}", User.Role.UNIT_HEAD, unit, False)
                )
            else:
                suffix = f"_{rank + 1}" if rank else ""
                specs.append(
                    (
                        f"bench_liaison_{unit.code}{suffix}",
                        User.Role.LIAISON,
                        unit,
                        False,
                    )
                )
        specs = [s for s in specs if s[0] not in existing]
        people = [Person(name=self._name(), unit=unit) for _u, _r, unit, _s in specs]
        Person.objects.bulk_create(people, batch_size=BATCH)
        users = [
            User(
                username=username,
                display_name=person.name,
                role=role,
                unit=unit,
                person=person,
                password=password,
                email=f"{username}@bench.invalid",
                is_staff=role == User.Role.OFFICE,
                is_superuser=superuser,
                date_joined=self.now,
            )
            for (username, role, unit, superuser), person in zip(
                specs, people, strict=True
            )
        ]
        User.objects.bulk_create(users, batch_size=BATCH)
        users = list(User.objects.filter(username__startswith="bench_"))
        office = office_group_sync()
        links = []
        for user in users:
            if user.role == User.Role.OFFICE:
                links.append(User.groups.through(user_id=user.pk, group_id=office.pk))
            elif user.unit_id:
                group = unit_group(next(u for u in self.units if u.pk == user.unit_id))
                links.append(User.groups.through(user_id=user.pk, group_id=group.pk))
        User.groups.through.objects.bulk_create(
            links, batch_size=BATCH, ignore_conflicts=True
        )
        self.office_users = [u for u in users if u.role == User.Role.OFFICE]
        self.leaders = [u for u in users if u.role == User.Role.LEADER]
        self.unit_users: dict[int, list[User]] = {u.pk: [] for u in self.units}
        for user in users:
            if user.unit_id and user.role in (User.Role.LIAISON, User.Role.UNIT_HEAD):
                self.unit_users[user.unit_id].append(user)
        for unit in self.units:  # a unit with no account still needs an author
            if not self.unit_users[unit.pk]:
                self.unit_users[unit.pk] = self.office_users[:1]
        self._hold_positions(users)

    def _hold_positions(self, users: list[User]) -> None:
        """Give every vacant position of the group a bench holder (for attendance)."""
        start = date(self.today.year - 10, 1, 1)
        by_unit_head = {
            u.unit_id: u.person for u in users if u.role == User.Role.UNIT_HEAD
        }
        leader = next(u.person for u in users if u.username == "bench_leader")
        deputy = next(u.person for u in users if u.username == "bench_deputy")
        held = set(
            Membership.objects.filter(end_on__isnull=True).values_list(
                "position_id", flat=True
            )
        )
        rows = []
        for position in Position.objects.filter(group=self.group):
            if position.pk in held:
                continue
            if position.kind == Position.Kind.LEADER:
                person = leader
            elif position.kind in (Position.Kind.DEPUTY, Position.Kind.OFFICE_DIRECTOR):
                person = deputy
            else:
                person = by_unit_head.get(position.unit_id)
            if person is not None:
                rows.append(
                    Membership(position=position, person=person, start_on=start)
                )
        Membership.objects.bulk_create(rows)
        self.attendees = list(
            Membership.objects.current()
            .select_related("person", "position")
            .order_by("position__order")
        )
