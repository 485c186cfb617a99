"""Bad input: every wrong figure is refused with a Chinese message naming the
unit, the period and the indicator; a report is saved whole or not at all; of two
people editing one report at once, the second is refused with their input kept."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.urls import reverse

from campaigns import reports, services
from campaigns.models import Campaign, Figure, TypicalCase, UnitReport
from tests.base import PortalTestCase

from .factories import file, form_data, indicator, make_campaign, period, values


class FigureCheckTests(PortalTestCase):
    def setUp(self):
        self.campaign = make_campaign(
            by=self.office, organiser=self.unit_a, units=[self.unit_a, self.unit_b]
        )
        self.url = reverse("campaigns:report_file", args=[self.campaign.pk, 2])
        self.p2 = period(self.campaign, 2)

    def post(self, **figures):
        return self.post_as(
            self.liaison_a, self.url, form_data(self.campaign, **figures)
        )

    def assertRefused(self, response, *parts):
        self.assertEqual(response.status_code, 200)
        text = response.content.decode()
        self.assertIn("报表未保存", text)
        for part in ("区司法局", self.p2.label, *parts):
            self.assertIn(part, text)
        self.assertFalse(UnitReport.objects.filter(unit=self.unit_a).exists())
        self.assertFalse(Figure.objects.filter(unit=self.unit_a).exists())

    def test_negative_figure(self):
        self.assertRefused(
            self.post(enf_staff=-3), "出动执法人员（人次）", "不能为负数"
        )

    def test_fraction_of_an_integer_indicator(self):
        self.assertRefused(self.post(enf_filed="2.5"), "立案（件）", "应为整数")

    def test_not_a_number(self):
        data = form_data(self.campaign)
        data[f"ind_{indicator('enf-seized').pk}"] = "三百"
        response = self.post_as(self.liaison_a, self.url, data)
        self.assertRefused(response, "查扣侵权假冒商品（件）", "“三百”不是数字")

    def test_blank_figure(self):
        data = form_data(self.campaign)
        data[f"ind_{indicator('enf-penalty').pk}"] = ""
        self.assertRefused(
            self.post_as(self.liaison_a, self.url, data), "罚没款（万元）", "未填写"
        )

    def test_closed_more_than_filed(self):
        self.assertRefused(
            self.post(enf_filed=2, enf_closed=3), "结案（件）", "结案数不能大于立案数"
        )

    def test_closed_counted_against_cases_filed_earlier(self):
        file(self.campaign, 1, self.liaison_a, enf_filed=3, enf_closed=0)
        response = self.post(enf_filed=0, enf_closed=3)
        self.assertEqual(response.status_code, 302)
        response = self.post_as(
            self.liaison_a,
            reverse("campaigns:report_file", args=[self.campaign.pk, 3]),
            form_data(self.campaign, enf_filed=0, enf_closed=1),
        )
        self.assertContains(response, "截至本期累计结案 4 件，超过累计立案 3 件")

    def test_full_width_digits_are_read(self):
        data = form_data(self.campaign)
        data[f"ind_{indicator('enf-staff').pk}"] = "１，２００"
        response = self.post_as(self.liaison_a, self.url, data)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(
            Figure.objects.get(
                unit=self.unit_a, indicator=indicator("enf-staff")
            ).value,
            Decimal(1200),
        )

    def test_decimal_indicator_keeps_its_decimals(self):
        self.assertEqual(self.post(enf_penalty="12.35").status_code, 302)
        self.assertEqual(
            Figure.objects.get(
                unit=self.unit_a, indicator=indicator("enf-penalty")
            ).value,
            Decimal("12.35"),
        )


class CumulativeTests(PortalTestCase):
    def setUp(self):
        self.campaign = make_campaign(
            by=self.office,
            organiser=self.unit_a,
            units=[self.unit_a],
            kind=Campaign.Kind.PUBLICITY,
            name="知识产权宣传月",
        )
        self.reads = indicator("pub-reads")

    def test_a_decrease_needs_a_reason(self):
        file(self.campaign, 1, self.liaison_a, pub_reads=5000)
        url = reverse("campaigns:report_file", args=[self.campaign.pk, 2])
        data = form_data(self.campaign, pub_reads=4000)
        response = self.post_as(self.liaison_a, url, data)
        self.assertContains(
            response, "是累计数，比上一期的 5000 减少为 4000，请说明减少的理由"
        )
        self.assertContains(response, "新媒体阅读量（次）")
        self.assertFalse(UnitReport.objects.filter(period__number=2).exists())
        data[f"note_{self.reads.pk}"] = "平台删除了重复统计的转载"
        self.assertEqual(self.post_as(self.liaison_a, url, data).status_code, 302)
        figure = Figure.objects.get(period__number=2, indicator=self.reads)
        self.assertEqual(figure.note, "平台删除了重复统计的转载")

    def test_an_increase_needs_none(self):
        file(self.campaign, 1, self.liaison_a, pub_reads=5000)
        report = file(self.campaign, 2, self.liaison_a, pub_reads=7000)
        self.assertEqual(report.status, UnitReport.Status.SUBMITTED)


class WholeOrNothingTests(PortalTestCase):
    def setUp(self):
        self.campaign = make_campaign(
            by=self.office, organiser=self.unit_a, units=[self.unit_a]
        )

    def test_a_bad_case_saves_nothing(self):
        url = reverse("campaigns:report_file", args=[self.campaign.pk, 1])
        data = form_data(self.campaign, enf_filed=1)
        data["cases-0-title"] = "查处假冒白酒案"  # no summary
        response = self.post_as(self.liaison_a, url, data)
        self.assertContains(response, "请填写简要案情")
        self.assertFalse(UnitReport.objects.exists())
        self.assertFalse(TypicalCase.objects.exists())

    def test_a_failing_correction_keeps_the_old_report(self):
        report = file(
            self.campaign,
            1,
            self.liaison_a,
            enf_filed=3,
            cases=[reports.CaseInput("原案例", "原案情")],
        )
        with self.assertRaises(ValidationError):
            reports.report_file(
                campaign=self.campaign,
                period=period(self.campaign, 1),
                by=self.liaison_a,
                version=report.edit_version,
                narrative="改了",
                values=values(self.campaign, enf_filed=1, enf_closed=2),
                cases=[reports.CaseInput("新案例", "新案情")],
            )
        report.refresh_from_db()
        self.assertEqual(report.narrative, "本期开展执法检查。")
        self.assertEqual(
            Figure.objects.get(report=report, indicator=indicator("enf-filed")).value, 3
        )
        self.assertEqual(list(report.cases.values_list("title", flat=True)), ["原案例"])


class ConcurrentEditTests(PortalTestCase):
    def setUp(self):
        self.campaign = make_campaign(
            by=self.office, organiser=self.unit_a, units=[self.unit_a]
        )
        self.url = reverse("campaigns:report_file", args=[self.campaign.pk, 1])

    def test_second_editor_is_refused_with_input_kept(self):
        report = file(self.campaign, 1, self.liaison_a, enf_staff=10)
        # both open the form at version 1
        first = form_data(self.campaign, version=report.edit_version, enf_staff=11)
        second = form_data(
            self.campaign,
            version=report.edit_version,
            enf_staff=12,
            narrative="蒋平的版本",
        )
        self.assertEqual(self.post_as(self.liaison_a, self.url, first).status_code, 302)
        response = self.post_as(self.head_a, self.url, second)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "已由他人报送或修改")
        self.assertContains(response, "蒋平的版本")  # their input is kept
        staff = indicator("enf-staff")
        self.assertEqual(
            Figure.objects.get(report=report, indicator=staff).value, 11
        )  # not merged
        # the form now carries the current version: a deliberate second submit wins
        self.assertContains(response, 'name="version" value="2"')
        second["version"] = "2"
        self.assertEqual(self.post_as(self.head_a, self.url, second).status_code, 302)
        self.assertEqual(Figure.objects.get(report=report, indicator=staff).value, 12)

    def test_two_first_reports_at_once(self):
        file(self.campaign, 1, self.liaison_a, enf_staff=10)
        response = self.post_as(
            self.head_a, self.url, form_data(self.campaign, version=0, enf_staff=99)
        )
        self.assertContains(response, "已由他人报送或修改")
        self.assertEqual(UnitReport.objects.count(), 1)
        self.assertEqual(Figure.objects.get(indicator=indicator("enf-staff")).value, 10)


class StageTests(PortalTestCase):
    def test_no_report_before_start_or_after_archive(self):
        campaign = make_campaign(
            by=self.office, organiser=self.unit_a, units=[self.unit_a], start_it=False
        )
        with self.assertRaisesMessage(ValidationError, "尚在筹备"):
            file(campaign, 1, self.liaison_a)
        campaign = services.campaign_advance(
            campaign=campaign, by=self.office, to=Campaign.Status.ACTIVE
        )
        file(campaign, 1, self.liaison_a)
        campaign = services.campaign_advance(
            campaign=campaign, by=self.office, to=Campaign.Status.SUMMARISING
        )
        with self.assertRaisesMessage(ValidationError, "请先撰写总结正文"):
            services.campaign_advance(
                campaign=campaign, by=self.office, to=Campaign.Status.ARCHIVED
            )
        campaign = services.campaign_summary_edit(
            campaign=campaign,
            by=self.office,
            version=campaign.edit_version,
            summary="一、总体情况\n行动取得成效。",
        )
        campaign = services.campaign_advance(
            campaign=campaign, by=self.office, to=Campaign.Status.ARCHIVED
        )
        self.assertIsNotNone(campaign.summary_issued_at)
        with self.assertRaisesMessage(ValidationError, "已归档"):
            file(campaign, 2, self.liaison_a)

    def test_skipping_a_stage_is_refused(self):
        campaign = make_campaign(
            by=self.office, organiser=self.unit_a, units=[self.unit_a], start_it=False
        )
        response = self.post_as(
            self.office,
            reverse("campaigns:advance", args=[campaign.pk]),
            {"to": "archived"},
        )
        self.assertEqual(response.status_code, 302)
        campaign.refresh_from_db()
        self.assertEqual(campaign.status, Campaign.Status.PREPARING)
