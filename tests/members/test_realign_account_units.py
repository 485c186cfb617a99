"""The data migration that realigns accounts with their person's unit
(members/migrations/0004_realign_account_units.py), run on rows written apart the
way the admin could before ``members.people`` kept them in step."""

from __future__ import annotations

import importlib
from types import SimpleNamespace

from django.apps import apps
from django.db import connection

from members.models import Person, User
from tests.base import PortalTestCase
from tests.tasks.factories import make_task


def realign() -> None:
    migration = importlib.import_module("members.migrations.0004_realign_account_units")
    # the migration writes to the database being migrated: the default one
    migration.realign_account_units(apps, SimpleNamespace(connection=connection))


def unit_groups(user: User) -> list:
    return list(User.objects.get(pk=user.pk).groups.filter(unit__isnull=False))


class RealignAccountUnitsTests(PortalTestCase):
    def test_an_account_apart_from_its_person_follows_the_person(self) -> None:
        # 杨柳 moved to unit A; her account still in unit B and its group
        Person.objects.filter(pk=self.liaison_b.person_id).update(unit=self.unit_a)
        task_a = make_task(by=self.office, lead=self.unit_a)
        task_b = make_task(by=self.office, lead=self.unit_b)
        self.assertEqual(unit_groups(self.liaison_b), [self.unit_b.auth_group])

        realign()

        account = User.objects.get(pk=self.liaison_b.pk)
        self.assertEqual(account.unit, self.unit_a)
        self.assertEqual(unit_groups(account), [self.unit_a.auth_group])
        self.assertEqual(
            self.get_as(account, task_a.get_absolute_url()).status_code, 200
        )
        self.assertEqual(
            self.get_as(account, task_b.get_absolute_url()).status_code, 404
        )

    def test_a_unit_account_of_a_person_of_no_unit_keeps_its_unit(self) -> None:
        Person.objects.filter(pk=self.liaison_b.person_id).update(unit=None)
        realign()
        account = User.objects.get(pk=self.liaison_b.pk)
        self.assertEqual(account.unit, self.unit_b)
        self.assertEqual(account.person.unit, self.unit_b)
        self.assertEqual(unit_groups(account), [self.unit_b.auth_group])

    def test_a_leader_account_takes_its_persons_unit(self) -> None:
        # 李志强 (副组长) works in 区市场监管局; his account had no unit
        User.objects.filter(pk=self.deputy.pk).update(unit=None)
        realign()
        account = User.objects.get(pk=self.deputy.pk)
        self.assertEqual(account.unit, account.person.unit)
        self.assertEqual(unit_groups(account), [])  # not a unit account

    def test_aligned_accounts_are_left_as_they_are(self) -> None:
        before = {
            u.pk: (u.unit_id, sorted(u.groups.values_list("pk", flat=True)))
            for u in User.objects.all()
        }
        realign()
        after = {
            u.pk: (u.unit_id, sorted(u.groups.values_list("pk", flat=True)))
            for u in User.objects.all()
        }
        self.assertEqual(after, before)
