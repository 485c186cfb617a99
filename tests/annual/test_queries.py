"""The round page and the list keep their query counts at two data sizes."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annual.models import Round
from members.models import Unit
from tests.base import PortalTestCase

from .factories import open_round, plenary, sub, submit


class QueryCountTests(PortalTestCase):
    def count(self, user, url: str) -> int:
        self.client.force_login(user)
        self.client.get(url)  # warm the session and caches
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        return len(queries)

    def test_round_page_at_two_sizes(self):
        round_ = open_round(self.office, meeting=plenary(self.office))
        submit(sub(round_, self.unit_a), self.liaison_a, coordination=1)
        url = round_.get_absolute_url()
        small = {u: self.count(u, url) for u in (self.office, self.liaison_a)}
        # more units in the round, more of them submitted with more items
        for n in range(8):
            unit = Unit.objects.create(name=f"测试单位{n}", code=f"t{n}", order=90 + n)
            round_.submissions.create(unit=unit)
        submit(sub(round_, self.unit_b), self.liaison_b, coordination=3)
        large = {u: self.count(u, url) for u in (self.office, self.liaison_a)}
        self.assertEqual(small, large)
        self.assertLessEqual(max(large.values()), 15)

    def test_round_list_at_two_sizes(self):
        open_round(self.office, year=2026)
        url = reverse("annual:rounds")
        small = {u: self.count(u, url) for u in (self.office, self.liaison_a)}
        for year in range(2027, 2034):  # years a round may have (from 2022)
            open_round(self.office, year=year, deadline=None)
        self.assertEqual(Round.objects.count(), 8)
        large = {u: self.count(u, url) for u in (self.office, self.liaison_a)}
        self.assertEqual(small, large)
        self.assertLessEqual(max(large.values()), 15)
