"""The one place that writes object permissions."""

from __future__ import annotations

from members.grants import set_unit_grants
from members.models import UnitGroupObjectPermission
from members.services import account_save
from tests.base import PortalTestCase


class GrantTests(PortalTestCase):
    def test_unit_members_see_their_unit_only(self):
        self.assertTrue(
            self.liaison_a.has_perm("members.view_unit_private", self.unit_a)
        )
        self.assertFalse(
            self.liaison_a.has_perm("members.view_unit_private", self.unit_b)
        )
        self.assertFalse(self.liaison_a.has_perm("members.view_unit_private"))

    def test_set_unit_grants_replaces_what_was_there(self):
        set_unit_grants(self.unit_b, {self.unit_a: ["members.view_unit_private"]})
        holders = set(
            UnitGroupObjectPermission.objects.filter(
                content_object=self.unit_b
            ).values_list("group__name", flat=True)
        )
        self.assertEqual(holders, {"unit:sfj"})
        set_unit_grants(self.unit_b, {self.unit_b: ["members.view_unit_private"]})
        set_unit_grants(self.unit_b, {self.unit_b: ["members.view_unit_private"]})
        self.assertEqual(
            UnitGroupObjectPermission.objects.filter(
                content_object=self.unit_b
            ).count(),
            1,
        )

    def test_moving_a_liaison_moves_what_they_see(self):
        account_save(user=self.liaison_a, role="liaison", unit=self.unit_b)
        from members.models import User

        moved = User.objects.get(pk=self.liaison_a.pk)
        self.assertTrue(moved.has_perm("members.view_unit_private", self.unit_b))
        self.assertFalse(moved.has_perm("members.view_unit_private", self.unit_a))

    def test_unit_accounts_hold_no_model_permissions(self):
        self.assertEqual(self.liaison_a.get_all_permissions(), set())
        self.assertIn("members.change_unit", self.office.get_all_permissions())
