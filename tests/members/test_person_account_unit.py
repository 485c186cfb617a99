"""A person's unit and their account's unit are one fact: moving a person in the
admin moves their account (and what it may see); an account cannot name another
unit than its person's."""

from __future__ import annotations

from django.urls import reverse

from members.models import Person, User
from members.people import person_unit_change
from tests.base import PortalTestCase
from tests.tasks.factories import make_task


class PersonAccountUnitTests(PortalTestCase):
    def setUp(self) -> None:
        self.task_a = make_task(by=self.office, lead=self.unit_a)
        self.task_b = make_task(by=self.office, lead=self.unit_b)
        self.person = self.liaison_b.person

    def assertSees(self, user, task, yes: bool) -> None:
        status = self.get_as(user, task.get_absolute_url()).status_code
        self.assertEqual(status, 200 if yes else 404)

    def test_moving_a_person_in_the_admin_moves_their_account(self) -> None:
        self.assertSees(self.liaison_b, self.task_b, True)
        self.assertSees(self.liaison_b, self.task_a, False)
        response = self.post_as(
            self.office,
            reverse("admin:members_person_change", args=[self.person.pk]),
            {
                "name": self.person.name,
                "unit": self.unit_a.pk,
                "job_title": "区司法局知识产权工作联络员",
                "phone": "",
            },
        )
        self.assertEqual(response.status_code, 302)
        self.person.refresh_from_db()
        account = User.objects.get(pk=self.liaison_b.pk)
        self.assertEqual(self.person.unit, self.unit_a)
        self.assertEqual(self.person.job_title, "区司法局知识产权工作联络员")
        self.assertEqual(account.unit, self.unit_a)
        self.assertEqual(
            list(account.groups.filter(unit__isnull=False)), [self.unit_a.auth_group]
        )
        self.assertSees(account, self.task_a, True)
        self.assertSees(account, self.task_b, False)

    def test_a_unit_account_keeps_a_unit(self) -> None:
        response = self.post_as(
            self.office,
            reverse("admin:members_person_change", args=[self.person.pk]),
            {"name": self.person.name, "unit": "", "job_title": "", "phone": ""},
        )
        self.assertContains(response, "是单位账号，须有所属单位")
        self.person.refresh_from_db()
        self.assertEqual(self.person.unit, self.unit_b)

    def test_an_account_names_its_persons_unit(self) -> None:
        url = reverse("admin:members_user_change", args=[self.liaison_b.pk])
        data = {
            "username": self.liaison_b.username,
            "display_name": self.liaison_b.display_name,
            "email": self.liaison_b.email,
            "phone": "",
            "person": self.person.pk,
            "role": User.Role.LIAISON,
            "unit": self.unit_a.pk,
            "is_active": "on",
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "08:00:00",
        }
        # accounts are the system administrator's (三员分立, security app)
        from tests.security.helpers import make_admins

        sysadmin = make_admins()["system"]
        self.assertEqual(self.post_as(self.office, url, data).status_code, 403)
        response = self.post_as(sysadmin, url, data)
        self.assertContains(
            response, "账号的所属单位须与对应人员 杨柳 的单位（区财政局）一致"
        )
        self.assertEqual(User.objects.get(pk=self.liaison_b.pk).unit, self.unit_b)
        self.assertSees(self.liaison_b, self.task_a, False)
        # without a person, the account's unit is its own
        response = self.post_as(sysadmin, url, {**data, "person": ""})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(User.objects.get(pk=self.liaison_b.pk).unit, self.unit_a)

    def test_the_service_moves_a_person_without_an_account(self) -> None:
        person = Person.objects.create(name="新同志", unit=self.unit_a)
        person_unit_change(person=person, unit=self.unit_b)
        person.refresh_from_db()
        self.assertEqual(person.unit, self.unit_b)

    def test_every_cast_account_is_in_its_persons_unit(self) -> None:
        for user in User.objects.exclude(person=None).select_related("person"):
            with self.subTest(user=user.username):
                self.assertEqual(user.unit_id, user.person.unit_id)
