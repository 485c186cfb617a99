"""The campaign page and the list cost the same number of queries (≤ 15) however
many units, periods, reports, cases and campaigns there are."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaigns import reports
from tests.base import PortalTestCase

from .factories import file, make_campaign, returned

MAX_QUERIES = 15


class CampaignQueryTests(PortalTestCase):
    def setUp(self):
        self.campaign = make_campaign(
            by=self.office, organiser=self.unit_a, units=[self.unit_a, self.unit_b]
        )
        file(self.campaign, 1, self.liaison_a, enf_staff=3)
        self.detail = reverse("campaigns:detail", args=[self.campaign.pk])
        self.list = reverse("campaigns:list")

    def grow(self):
        case = reports.CaseInput("案例", "案情")
        file(self.campaign, 2, self.liaison_a, enf_staff=4, cases=[case, case])
        b1 = file(self.campaign, 1, self.liaison_b, enf_staff=5, cases=[case])
        file(self.campaign, 2, self.liaison_b, enf_staff=6)
        returned(b1, self.liaison_a)
        reports.campaign_remind(
            campaign=self.campaign,
            period=self.campaign.periods.get(number=3),
            by=self.office,
        )
        for n in range(4):
            other = make_campaign(
                by=self.office,
                organiser=self.unit_b,
                units=[self.unit_a, self.unit_b, self.unit_out],
                name=f"专项行动{n}",
            )
            file(other, 1, self.liaison_a)

    def count(self, user, url) -> int:
        self.client.force_login(user)
        self.client.get(url)  # warm the session and caches
        with CaptureQueriesContext(connection) as ctx:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        return len(ctx.captured_queries)

    def test_constant_queries(self):
        users = (self.office, self.leader, self.liaison_a, self.liaison_b)
        before = {
            (u.username, url): self.count(u, url)
            for u in users
            for url in (self.detail, self.list, "/")
        }
        self.grow()
        after = {
            (u.username, url): self.count(u, url)
            for u in users
            for url in (self.detail, self.list, "/")
        }
        self.assertEqual(before, after)
        for key, n in after.items():
            if key[1] != "/":  # the homes are held by their own apps' tests
                self.assertLessEqual(n, MAX_QUERIES, key)
