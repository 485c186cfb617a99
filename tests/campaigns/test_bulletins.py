"""A bulletin cites a campaign's figures: the office picks campaigns of the
bulletin's period on the draft's edit page; the figures are printed on the page
and as an attached table in the PDF, and freeze when the bulletin is issued."""

from __future__ import annotations

import io

from django.urls import reverse
from pypdf import PdfReader

from oversight import services as bulletin_services
from oversight.bulletin_pdf import render_bulletin
from oversight.models import Bulletin
from tests.base import PortalTestCase

from .factories import file, make_campaign


class BulletinCitationTests(PortalTestCase):
    def setUp(self):
        self.campaign = make_campaign(
            by=self.office, organiser=self.unit_a, units=[self.unit_a, self.unit_b]
        )
        file(self.campaign, 1, self.liaison_a, enf_staff=40, enf_filed=2)
        file(self.campaign, 1, self.liaison_b, enf_staff=12)
        self.bulletin = bulletin_services.bulletin_draft(
            period=Bulletin.Period.YEAR,
            year=self.campaign.start_on.year,
            by=self.office,
        )
        self.url = reverse("dashboard:bulletin_campaigns", args=[self.bulletin.pk])

    def cite(self, user=None):
        return self.post_as(
            user or self.office,
            self.url,
            {"campaigns": [self.campaign.pk], "version": self.bulletin.edit_version},
        )

    def test_office_cites_and_it_prints(self):
        edit = self.get_as(
            self.office, reverse("dashboard:bulletin_edit", args=[self.bulletin.pk])
        )
        self.assertContains(edit, "引用专项行动数据")
        self.assertContains(edit, self.campaign.name)
        self.assertRedirects(self.cite(), self.bulletin.get_absolute_url())
        self.bulletin.refresh_from_db()
        cited = self.bulletin.figures["campaigns"]
        self.assertEqual([c["name"] for c in cited], [self.campaign.name])
        staff = cited[0]["indicators"].index("出动执法人员（人次）")
        self.assertEqual(cited[0]["totals"][staff], "52")
        page = self.get_as(self.leader, self.bulletin.get_absolute_url())
        self.assertContains(page, f"引用：{self.campaign.name}各单位数据")
        text = "".join(
            "".join(p.extract_text().split())
            for p in PdfReader(io.BytesIO(render_bulletin(self.bulletin))).pages
        )
        self.assertIn(f"{self.campaign.name}各单位工作数据", text)
        self.assertIn("附表2", text)
        self.assertIn("区司法局400", text)  # 出动执法人员 40, 检查 0, 立案 2 …
        # issued: frozen, a later report does not change what it cites
        bulletin_services.bulletin_issue(bulletin=self.bulletin, by=self.office)
        file(self.campaign, 2, self.liaison_a, enf_staff=100)
        self.bulletin.refresh_from_db()
        self.assertEqual(self.bulletin.figures["campaigns"][0]["totals"][staff], "52")
        self.bulletin.refresh_from_db()
        response = self.cite()
        self.assertNotEqual(response.status_code, 500)
        self.bulletin.refresh_from_db()
        self.assertEqual(self.bulletin.figures["campaigns"][0]["totals"][staff], "52")

    def test_permissions(self):
        self.assertEqual(
            self.cite(self.liaison_a).status_code, 404
        )  # a draft is hidden
        self.assertEqual(self.cite(self.leader).status_code, 403)
        self.assertLoginRedirect(self.post_as(None, self.url, {}))
        self.assertEqual(self.get_as(self.office, self.url).status_code, 405)
        self.bulletin.refresh_from_db()
        self.assertNotIn("campaigns", self.bulletin.figures)
