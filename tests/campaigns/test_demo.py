"""The demo campaigns (``manage.py load_demo``): the demo year's 4·26 publicity
week, six units with complete figures; a joint enforcement action in progress
with one unit late and one report returned. Idempotent."""

from __future__ import annotations

from django.utils import timezone

from campaigns import demo
from campaigns.models import Campaign, Figure, UnitReport
from campaigns.reporting import status_grid
from members.models import Unit, User
from tests.base import PortalTestCase


class DemoTests(PortalTestCase):
    def test_demo_campaigns(self):
        for code in {*demo.PUBLICITY_UNITS, *demo.ENFORCEMENT_UNITS}:
            User.objects.create(
                username=f"liaison_{code}",
                role=User.Role.LIAISON,
                unit=Unit.objects.get(code=code),
            )
        demo.load()
        demo.load()  # a second run adds nothing
        self.assertEqual(Campaign.objects.count(), 2)
        week = Campaign.objects.get(kind=Campaign.Kind.PUBLICITY)
        self.assertIn("“4·26”知识产权宣传周", week.name)
        self.assertEqual(week.units.count(), 6)
        self.assertEqual(week.organiser.code, "xcb")
        self.assertEqual(week.status, Campaign.Status.SUMMARISING)
        links = week.indicator_links.count()
        self.assertEqual(links, 7)
        self.assertEqual(
            Figure.objects.filter(campaign=week, report__status="submitted").count(),
            6 * links * week.periods.count(),
        )
        action = Campaign.objects.get(kind=Campaign.Kind.ENFORCEMENT)
        self.assertEqual(action.status, Campaign.Status.ACTIVE)
        grid = status_grid(
            list(action.periods.all()),
            list(action.units.order_by("order")),
            list(action.reports.all()),
            timezone.localdate(),
        )
        late = {
            row["unit"].code for row in grid for c in row["cells"] if c.state == "red"
        }
        self.assertEqual(late, {"nyncj"})
        returned = UnitReport.objects.get(campaign=action, status="returned")
        self.assertEqual(returned.unit.code, "swj")
        self.assertTrue(returned.returned_reason)
