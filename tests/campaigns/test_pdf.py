"""The campaign summary PDF (专项行动工作总结 / 宣传活动总结) in the bulletins'
official layout, read back with pypdf; and the figures as formula-safe Excel."""

from __future__ import annotations

import io
from decimal import Decimal
from unittest import mock

from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from campaigns import reports, services
from campaigns.models import Campaign
from campaigns.pdf import render_summary
from jinwei_ip.lib.pdf import CJKFontsMissing
from jobs.models import Job
from jobs.services import job_run
from tests.base import PortalTestCase

from .factories import file, make_campaign


def text_of(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def flat(text: str) -> str:
    return "".join(text.split())


class SummaryPdfTests(PortalTestCase):
    def setUp(self):
        self.campaign = make_campaign(
            by=self.office,
            organiser=self.unit_a,
            units=[self.unit_a, self.unit_b],
            name="知识产权执法“铁拳”行动",
        )
        file(
            self.campaign,
            1,
            self.liaison_a,
            enf_staff=120,
            enf_filed=6,
            enf_closed=3,
            enf_penalty="12.5",
            cases=[
                reports.CaseInput(
                    "查处某商贸公司销售侵权白酒案",
                    "现场查扣侵权白酒420瓶。",
                    Decimal("8.6"),
                    Decimal("5.2"),
                )
            ],
        )
        file(self.campaign, 1, self.liaison_b, enf_staff=30, enf_penalty="0.75")

    def test_text_of_the_draft(self):
        text = flat(text_of(render_summary(self.campaign)))
        self.assertIn("草稿（未印发）", text)
        self.assertIn("金台区知识产权工作协调领导小组办公室", text)
        self.assertIn("知识产权执法“铁拳”行动工作总结", text)
        self.assertIn("各成员单位：", text)
        self.assertIn("由区司法局牵头，2家成员单位参加", text)
        # the per-unit table with its totals
        self.assertIn("各单位工作数据统计表", text)
        self.assertIn("出动执法人员", text)
        self.assertIn("区司法局12006", text)  # 出动执法人员 120, 检查 0, 立案 6
        self.assertIn("区财政局300", text)
        self.assertIn("合计15006", text)
        self.assertIn("13.25", text)  # 罚没款 12.5 + 0.75
        # typical cases
        self.assertIn("典型案例", text)
        self.assertIn("查处某商贸公司销售侵权白酒案", text)
        self.assertIn("涉案金额8.60万元", text)
        self.assertIn("（印发日期）", text)

    def test_issued_summary(self):
        campaign = services.campaign_advance(
            campaign=self.campaign, by=self.office, to=Campaign.Status.SUMMARISING
        )
        campaign = services.campaign_summary_edit(
            campaign=campaign,
            by=self.office,
            version=campaign.edit_version,
            summary="一、主要做法\n各单位联合开展执法检查。\n二、下一步工作\n建立长效机制。",
        )
        campaign = services.campaign_advance(
            campaign=campaign, by=self.office, to=Campaign.Status.ARCHIVED
        )
        text = flat(text_of(render_summary(campaign)))
        self.assertNotIn("草稿", text)
        self.assertIn("一、主要做法", text)
        self.assertIn("建立长效机制。", text)
        day = campaign.summary_issued_at.astimezone()
        from django.utils import timezone

        local = timezone.localdate(campaign.summary_issued_at)
        self.assertIn(f"{local.year}年{local.month}月{local.day}日印发", text)
        self.assertTrue(day)

    def test_download_through_the_page_is_a_job(self):
        url = reverse("campaigns:summary_pdf", args=[self.campaign.pk])
        response = self.get_as(self.liaison_b, url)
        job = Job.objects.get(kind="campaign_summary_pdf")
        self.assertRedirects(response, job.get_absolute_url())
        self.assertEqual(job.owner, self.liaison_b)
        self.assertEqual(job.params["campaign"], self.campaign.pk)
        self.assertEqual(job.back_url, self.campaign.get_absolute_url())
        self.assertEqual(job_run(job_id=job.pk), "done")
        job.refresh_from_db()
        self.assertEqual(job.filename, "知识产权执法“铁拳”行动工作总结.pdf")
        response = self.get_as(self.liaison_b, reverse("jobs:download", args=[job.pk]))
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertIn("attachment", response["Content-Disposition"])
        data = b"".join(response.streaming_content)
        self.assertIn("工作总结", flat(text_of(data)))
        # a unit outside the campaign gets no job
        self.assertEqual(self.get_as(self.outsider, url).status_code, 404)
        self.assertEqual(Job.objects.count(), 1)

    def test_the_runner_asks_again_as_the_jobs_owner(self):
        url = reverse("campaigns:summary_pdf", args=[self.campaign.pk])
        self.get_as(self.leader, url)
        job = Job.objects.get(kind="campaign_summary_pdf")
        # the leader became the liaison of a unit outside the campaign before
        # the worker ran: the campaign is no longer theirs to read
        type(self.leader).objects.filter(pk=self.leader.pk).update(
            role="liaison", unit=self.unit_out
        )
        self.assertEqual(job_run(job_id=job.pk), "failed")
        job.refresh_from_db()
        self.assertIn("这项活动已不存在，或您已无权查看", job.error)
        self.assertFalse(job.file)

    def test_no_chinese_font_fails_in_chinese(self):
        self.get_as(
            self.office, reverse("campaigns:summary_pdf", args=[self.campaign.pk])
        )
        job = Job.objects.get(kind="campaign_summary_pdf")
        with mock.patch(
            "campaigns.pdf.render_pdf", side_effect=CJKFontsMissing("no font")
        ):
            self.assertEqual(job_run(job_id=job.pk), "failed")
        page = self.get_as(self.office, job.get_absolute_url())
        self.assertContains(page, "服务器没有安装中文字体")
        self.assertContains(page, "活动数据 Excel 仍可导出")

    def test_publicity_title(self):
        campaign = make_campaign(
            by=self.office,
            organiser=self.unit_a,
            units=[self.unit_a],
            kind=Campaign.Kind.PUBLICITY,
            name="2026年知识产权宣传周",
        )
        self.assertEqual(campaign.summary_title, "2026年知识产权宣传周宣传活动总结")
        self.assertIn("宣传活动总结", flat(text_of(render_summary(campaign))))


class FiguresExcelTests(PortalTestCase):
    def test_figures_and_totals_formula_safe(self):
        campaign = make_campaign(
            by=self.office,
            organiser=self.unit_a,
            units=[self.unit_a, self.unit_b],
            name='=HYPERLINK("http://x")行动',
        )
        file(campaign, 1, self.liaison_a, enf_staff=10, enf_penalty="1.5")
        file(campaign, 2, self.liaison_a, enf_staff=5)
        response = self.get_as(
            self.liaison_b, reverse("campaigns:figures_xlsx", args=[campaign.pk])
        )
        self.assertEqual(response.status_code, 200)
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = [[c.value for c in row] for row in sheet.iter_rows()]
        self.assertTrue(rows[0][0].startswith("'=HYPERLINK"))
        header = rows[1]
        staff = header.index("出动执法人员（人次）")
        data = {(r[0], r[1]): r for r in rows[2:]}
        first = next(k for k in data if k[0].startswith("第1期") and k[1] == "区司法局")
        self.assertEqual(data[first][staff], 10)
        self.assertEqual(data[("合计（各期）", "区司法局")][staff], 15)
        self.assertEqual(data[("合计（各期）", "全部单位")][staff], 15)
        penalty = header.index("罚没款（万元）")
        self.assertEqual(data[("合计（各期）", "全部单位")][penalty], 1.5)
