"""Who sees and does what on a campaign: participating units see and report their
campaign, other units get 404, office and leaders see all, the organising unit
follows reports up (return, remind), only the office creates and runs it."""

from __future__ import annotations

from django.urls import reverse

from campaigns.models import Campaign, UnitReport
from members.models import User
from tests.base import PortalTestCase

from .factories import file, form_data, make_campaign, period


class CampaignPermissionTests(PortalTestCase):
    def setUp(self):
        self.campaign = make_campaign(
            by=self.office, organiser=self.unit_a, units=[self.unit_a, self.unit_b]
        )
        self.report_b = file(
            self.campaign, 1, self.liaison_b, enf_filed=2, enf_closed=1
        )
        self.detail = reverse("campaigns:detail", args=[self.campaign.pk])

    def test_campaign_page_matrix(self):
        for user in (
            self.office,
            self.leader,
            self.deputy,
            self.liaison_a,
            self.head_a,
            self.liaison_b,
        ):
            with self.subTest(user=user.username):
                self.assertEqual(self.get_as(user, self.detail).status_code, 200)
        for user in (self.outsider, self.nobody):
            with self.subTest(user=user.username):
                self.assertEqual(self.get_as(user, self.detail).status_code, 404)
        self.assertLoginRedirect(self.get_as(None, self.detail))

    def test_every_page_of_the_campaign_is_hidden_from_other_units(self):
        urls = [
            self.detail,
            reverse("campaigns:summary_pdf", args=[self.campaign.pk]),
            reverse("campaigns:figures_xlsx", args=[self.campaign.pk]),
            reverse("campaigns:report", args=[self.report_b.pk]),
            reverse("campaigns:report_file", args=[self.campaign.pk, 1]),
            reverse("campaigns:edit", args=[self.campaign.pk]),
        ]
        for url in urls:
            with self.subTest(url=url):
                self.assertEqual(self.get_as(self.outsider, url).status_code, 404)
        for url in (
            reverse("campaigns:report_return", args=[self.report_b.pk]),
            reverse("campaigns:remind", args=[self.campaign.pk, 1]),
            reverse("campaigns:advance", args=[self.campaign.pk]),
        ):
            with self.subTest(url=url):
                self.assertEqual(
                    self.post_as(self.outsider, url, {"reason": "x"}).status_code, 404
                )

    def test_list_shows_only_the_units_campaigns(self):
        other = make_campaign(
            by=self.office,
            organiser=self.unit_out,
            units=[self.unit_out],
            name="林业局植物新品种宣传",
        )
        url = reverse("campaigns:list")
        self.assertContains(self.get_as(self.office, url), other.name)
        self.assertContains(self.get_as(self.leader, url), other.name)
        page = self.get_as(self.liaison_a, url)
        self.assertContains(page, self.campaign.name)
        self.assertNotContains(page, other.name)
        self.assertNotContains(self.get_as(self.liaison_a, "/"), other.name)
        self.assertContains(self.get_as(self.liaison_a, "/"), self.campaign.name)
        self.assertEqual(self.get_as(self.nobody, url).status_code, 200)
        self.assertNotContains(self.get_as(self.nobody, url), self.campaign.name)

    def test_only_participants_report(self):
        url = reverse("campaigns:report_file", args=[self.campaign.pk, 1])
        self.assertEqual(self.get_as(self.liaison_a, url).status_code, 200)
        self.assertEqual(self.get_as(self.head_a, url).status_code, 200)
        # the office and leaders see the campaign but do not report for a unit
        self.assertEqual(self.get_as(self.office, url).status_code, 403)
        self.assertEqual(self.get_as(self.leader, url).status_code, 403)
        self.assertEqual(self.get_as(self.outsider, url).status_code, 404)
        self.assertLoginRedirect(self.get_as(None, url))

    def test_return_matrix(self):
        url = reverse("campaigns:report_return", args=[self.report_b.pk])
        # a participant that does not organise, and a leader: 403
        self.assertEqual(
            self.post_as(self.liaison_b, url, {"reason": "x"}).status_code, 403
        )
        self.assertEqual(
            self.post_as(self.leader, url, {"reason": "x"}).status_code, 403
        )
        self.assertEqual(self.get_as(self.office, url).status_code, 405)
        self.assertLoginRedirect(self.post_as(None, url, {"reason": "x"}))
        self.report_b.refresh_from_db()
        self.assertEqual(self.report_b.status, UnitReport.Status.SUBMITTED)
        # the organising unit may
        response = self.post_as(self.liaison_a, url, {"reason": "请补充案件清单"})
        self.assertEqual(response.status_code, 302)
        self.report_b.refresh_from_db()
        self.assertEqual(self.report_b.status, UnitReport.Status.RETURNED)
        self.assertEqual(self.report_b.returned_reason, "请补充案件清单")

    def test_remind_matrix(self):
        url = reverse("campaigns:remind", args=[self.campaign.pk, 1])
        self.assertEqual(self.post_as(self.liaison_b, url).status_code, 403)
        self.assertEqual(self.post_as(self.leader, url).status_code, 403)
        self.assertEqual(self.get_as(self.office, url).status_code, 405)
        self.assertEqual(self.post_as(self.liaison_a, url).status_code, 302)
        # unit A had not reported period 1: its people are told
        texts = list(self.liaison_a.notifications.values_list("text", flat=True))
        self.assertTrue(any("请尽快报送" in t for t in texts), texts)
        self.assertFalse(
            any(
                "请尽快报送" in t
                for t in self.liaison_b.notifications.values_list("text", flat=True)
            )
        )

    def test_office_only_actions(self):
        for name, method in (
            ("campaigns:edit", "get"),
            ("campaigns:indicators", "get"),
            ("campaigns:advance", "post"),
            ("campaigns:summary", "get"),
        ):
            url = reverse(name, args=[self.campaign.pk])
            for user in (self.leader, self.liaison_a, self.liaison_b):
                with self.subTest(url=url, user=user.username):
                    response = (
                        self.get_as(user, url)
                        if method == "get"
                        else self.post_as(user, url, {"to": "summarising"})
                    )
                    self.assertEqual(response.status_code, 403)
        create = reverse("campaigns:create")
        self.assertEqual(self.get_as(self.office, create).status_code, 200)
        self.assertEqual(self.get_as(self.leader, create).status_code, 403)
        self.assertEqual(self.get_as(self.liaison_a, create).status_code, 403)
        self.assertEqual(
            self.get_as(
                self.office, reverse("campaigns:advance", args=[self.campaign.pk])
            ).status_code,
            405,
        )
        self.campaign.refresh_from_db()
        self.assertEqual(self.campaign.status, Campaign.Status.ACTIVE)

    def test_grants_follow_the_units(self):
        """Grants are written by members.grants: a unit taken off a campaign in
        preparation loses it."""
        from campaigns import services

        draft = make_campaign(
            by=self.office,
            organiser=self.unit_a,
            units=[self.unit_a, self.unit_b],
            start_it=False,
            name="筹备中的活动",
        )
        url = reverse("campaigns:detail", args=[draft.pk])
        self.assertEqual(self.get_as(self.liaison_b, url).status_code, 200)
        services.campaign_edit(
            campaign=draft,
            by=self.office,
            version=draft.edit_version,
            name=draft.name,
            description="",
            duties=[],
            organiser=self.unit_a,
            units=[self.unit_a],
            start_on=draft.start_on,
            end_on=draft.end_on,
            schedule=draft.schedule,
        )
        liaison_b = User.objects.get(pk=self.liaison_b.pk)
        self.assertEqual(self.get_as(liaison_b, url).status_code, 404)

    def test_evidence_download_matrix(self):
        from django.core.files.uploadedfile import SimpleUploadedFile

        data = form_data(self.campaign, enf_filed=1)
        data["files"] = SimpleUploadedFile(
            "现场照片.pdf", b"%PDF-1.4 test", "application/pdf"
        )
        url = reverse("campaigns:report_file", args=[self.campaign.pk, 1])
        import tempfile

        from django.test import override_settings

        with override_settings(MEDIA_ROOT=tempfile.mkdtemp()):
            response = self.post_as(self.liaison_a, url, data)
            self.assertEqual(
                response.status_code,
                302,
                getattr(response, "context", None) and response.context["form"].errors,
            )
            report = UnitReport.objects.get(
                period=period(self.campaign, 1), unit=self.unit_a
            )
            ev = report.evidence.get()
            ev_url = reverse("campaigns:evidence", args=[ev.pk])
            for user in (self.office, self.leader, self.liaison_a, self.liaison_b):
                self.assertEqual(self.get_as(user, ev_url).status_code, 200)
            self.assertEqual(self.get_as(self.outsider, ev_url).status_code, 404)
