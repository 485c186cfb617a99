"""Every total is computed from the figures entered once per unit and period:
per-period indicators add up, cumulative ones take each unit's latest figure,
returned reports count for nothing until filed again."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from campaigns.figures import (
    campaign_table,
    indicator_totals,
    unit_totals,
    year_figures,
)
from campaigns.models import Campaign, Figure
from members.models import Unit
from tests.base import PortalTestCase

from .factories import file, indicator, make_campaign, returned


class TotalsTests(PortalTestCase):
    def setUp(self):
        self.campaign = make_campaign(
            by=self.office, organiser=self.unit_a, units=[self.unit_a, self.unit_b]
        )
        file(
            self.campaign,
            1,
            self.liaison_a,
            enf_staff=10,
            enf_filed=3,
            enf_penalty="1.25",
        )
        file(self.campaign, 2, self.liaison_a, enf_staff=15, enf_filed=1, enf_closed=2)
        self.b1 = file(self.campaign, 1, self.liaison_b, enf_staff=7, enf_penalty="0.5")

    def test_unit_and_campaign_totals(self):
        staff, filed, penalty = (
            indicator(c) for c in ("enf-staff", "enf-filed", "enf-penalty")
        )
        by_unit = unit_totals(self.campaign)
        self.assertEqual(by_unit[(self.unit_a.pk, staff.pk)], 25)
        self.assertEqual(by_unit[(self.unit_b.pk, staff.pk)], 7)
        self.assertEqual(by_unit[(self.unit_a.pk, filed.pk)], 4)
        totals = indicator_totals(Figure.objects.filter(campaign=self.campaign))
        self.assertEqual(totals[staff.pk], 32)
        self.assertEqual(
            Decimal(totals[penalty.pk]).quantize(Decimal("0.01")), Decimal("1.75")
        )

    def test_returned_report_leaves_the_totals_until_filed_again(self):
        staff = indicator("enf-staff")
        returned(self.b1, self.liaison_a)
        self.assertEqual(
            indicator_totals(Figure.objects.filter(campaign=self.campaign))[staff.pk],
            25,
        )
        self.assertNotIn((self.unit_b.pk, staff.pk), unit_totals(self.campaign))

    def test_page_shows_totals_and_periods(self):
        response = self.get_as(
            self.leader, reverse("campaigns:detail", args=[self.campaign.pk])
        )
        table = response.context["table"]
        staff_col = [i.code for i in table.indicators].index("enf-staff")
        rows = {row["unit"].code: row["cells"][staff_col] for row in table.rows}
        self.assertEqual(rows, {"sfj": "25", "czj": "7"})
        self.assertEqual(table.totals[staff_col], "32")
        by_period = [row["cells"][staff_col] for row in table.periods]
        self.assertEqual(by_period, ["17", "15", ""])
        penalty_col = [i.code for i in table.indicators].index("enf-penalty")
        self.assertEqual(table.totals[penalty_col], "1.75")
        self.assertContains(response, "<td>32</td>", html=True)


class CumulativeTotalsTests(PortalTestCase):
    def test_latest_figure_of_each_unit(self):
        campaign = make_campaign(
            by=self.office,
            organiser=self.unit_a,
            units=[self.unit_a, self.unit_b],
            kind=Campaign.Kind.PUBLICITY,
            name="知识产权宣传月",
        )
        reads, events = indicator("pub-reads"), indicator("pub-events")
        file(campaign, 1, self.liaison_a, pub_reads=1000, pub_events=2)
        file(campaign, 2, self.liaison_a, pub_reads=2500, pub_events=3)
        file(campaign, 1, self.liaison_b, pub_reads=400, pub_events=1)
        by_unit = unit_totals(campaign)
        self.assertEqual(by_unit[(self.unit_a.pk, reads.pk)], 2500)  # not 3500
        self.assertEqual(by_unit[(self.unit_a.pk, events.pk)], 5)
        totals = indicator_totals(Figure.objects.filter(campaign=campaign))
        self.assertEqual(totals[reads.pk], 2900)
        # a returned latest report: the unit's earlier figure stands again
        latest = campaign.reports.get(unit=self.unit_a, period__number=2)
        returned(latest, self.office)
        self.assertEqual(unit_totals(campaign)[(self.unit_a.pk, reads.pk)], 1000)

    def test_year_figures_for_the_dashboard(self):
        campaign = make_campaign(
            by=self.office, organiser=self.unit_a, units=[self.unit_a]
        )
        file(campaign, 1, self.liaison_a, enf_filed=4)
        data = year_figures(campaign.start_on.year)
        enforcement = next(k for k in data["by_kind"] if k["kind"] == "enforcement")
        self.assertEqual(enforcement["count"], 1)
        self.assertEqual(enforcement["active"], 1)
        shown = {item["indicator"].code: item["value"] for item in enforcement["items"]}
        self.assertEqual(shown["enf-filed"], "4")

    def test_table_helper_queries_are_constant(self):
        campaign = make_campaign(
            by=self.office, organiser=self.unit_a, units=[self.unit_a, self.unit_b]
        )
        units = list(Unit.objects.filter(campaigns=campaign))
        inds = [link.indicator for link in campaign.indicator_links.all()]
        periods = list(campaign.periods.all())
        with self.assertNumQueries(2):
            campaign_table(campaign, inds, units, periods)
        file(campaign, 1, self.liaison_a)
        file(campaign, 2, self.liaison_b)
        with self.assertNumQueries(2):
            campaign_table(campaign, inds, units, periods)
