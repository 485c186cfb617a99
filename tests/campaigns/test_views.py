"""The campaign pages as a person uses them: the office creates a campaign (also
from a decided matter's or a plan task's page), sets who reports what, runs it
through its stages and writes the summary; units see their campaigns at home,
with due, late and returned reports; the dates are in the calendar feed."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign, CampaignIndicator, UnitReport
from members.models import CalendarFeedKey
from tests.base import PortalTestCase
from tests.tasks.factories import issued_decisions, make_task, work_plan

from .factories import file, indicator, make_campaign, returned


class CreateTests(PortalTestCase):
    def data(self, **extra):
        start = timezone.localdate() - timedelta(days=3)
        return {
            "kind": "enforcement",
            "name": "“龙腾”专项行动",
            "start_on": start.isoformat(),
            "end_on": (start + timedelta(days=60)).isoformat(),
            "schedule": "monthly",
            "dates": "",
            "organiser": str(self.unit_a.pk),
            "units": [str(self.unit_b.pk)],
            "description": "打击侵权假冒",
            **extra,
        }

    def test_office_creates_with_default_indicators(self):
        response = self.post_as(self.office, reverse("campaigns:create"), self.data())
        campaign = Campaign.objects.get(name="“龙腾”专项行动")
        self.assertRedirects(response, campaign.get_absolute_url())
        self.assertEqual(campaign.status, Campaign.Status.PREPARING)
        self.assertEqual(
            sorted(campaign.units.values_list("code", flat=True)), ["czj", "sfj"]
        )  # the organiser takes part
        self.assertEqual(
            list(campaign.indicator_links.values_list("indicator__name", flat=True)),
            [
                "出动执法人员",
                "检查经营主体",
                "立案",
                "结案",
                "罚没款",
                "查扣侵权假冒商品",
                "移送司法机关案件",
                "涉案金额",
            ],
        )
        self.assertGreaterEqual(campaign.periods.count(), 2)
        self.assertTrue(
            self.liaison_b.notifications.filter(
                text__contains="“龙腾”专项行动"
            ).exists()
        )

    def test_chosen_dates_and_bad_input(self):
        start = timezone.localdate()
        response = self.post_as(
            self.office,
            reverse("campaigns:create"),
            self.data(schedule="dates", dates="明天"),
        )
        self.assertContains(response, "“明天”不是日期")
        response = self.post_as(
            self.office,
            reverse("campaigns:create"),
            self.data(
                schedule="dates",
                dates=f"{(start + timedelta(days=10)).isoformat()}\n{(start + timedelta(days=300)).isoformat()}",
            ),
        )
        self.assertContains(response, "不在活动期间")
        self.assertFalse(Campaign.objects.exists())
        response = self.post_as(
            self.office,
            reverse("campaigns:create"),
            self.data(schedule="dates", dates=(start + timedelta(days=10)).isoformat()),
        )
        campaign = Campaign.objects.get()
        self.assertEqual(
            [p.end_on for p in campaign.periods.all()],
            [start + timedelta(days=10), campaign.end_on],
        )

    def test_started_from_a_decided_matter(self):
        decision = issued_decisions(self.office, ["开展知识产权联合执法行动"])[0]
        minutes_page = self.get_as(self.office, decision.minutes.get_absolute_url())
        link = reverse("campaigns:create") + f"?decision={decision.pk}"
        self.assertContains(minutes_page, link)
        page = self.get_as(self.office, link)
        self.assertContains(page, decision.code)
        data = self.data()
        data["decision"] = str(decision.pk)
        self.post_as(self.office, reverse("campaigns:create"), data)
        self.assertEqual(Campaign.objects.get().decision, decision)

    def test_started_from_a_plan_task(self):
        task = make_task(
            by=self.office,
            lead=self.unit_a,
            plan=work_plan(self.office),
            title="组织知识产权宣传周活动",
        )
        task_page = self.get_as(self.office, task.get_absolute_url())
        link = reverse("campaigns:create") + f"?task={task.pk}"
        self.assertContains(task_page, link)
        self.assertNotContains(
            self.get_as(self.liaison_a, task.get_absolute_url()), link
        )
        page = self.get_as(self.office, link)
        self.assertEqual(page.context["form"].initial["kind"], Campaign.Kind.PUBLICITY)
        data = self.data(name=task.title)
        data["task"] = str(task.pk)
        self.post_as(self.office, reverse("campaigns:create"), data)
        self.assertEqual(Campaign.objects.get().task, task)

    def test_bad_origin_ids_are_404(self):
        self.assertEqual(
            self.get_as(
                self.office, reverse("campaigns:create") + "?task=abc"
            ).status_code,
            404,
        )
        self.assertEqual(
            self.get_as(
                self.office, reverse("campaigns:create") + "?decision=99999"
            ).status_code,
            404,
        )


class RunningTests(PortalTestCase):
    def setUp(self):
        self.campaign = make_campaign(
            by=self.office,
            organiser=self.unit_a,
            units=[self.unit_a, self.unit_b],
            start_it=False,
        )

    def test_indicator_units_limit_who_reports_what(self):
        link = CampaignIndicator.objects.get(
            campaign=self.campaign, indicator=indicator("enf-transferred")
        )
        url = reverse("campaigns:indicators", args=[self.campaign.pk])
        response = self.post_as(
            self.office,
            url,
            {
                "version": str(self.campaign.edit_version),
                f"units_{link.pk}": [str(self.unit_a.pk)],
            },
        )
        self.assertEqual(response.status_code, 302)
        self.post_as(
            self.office,
            reverse("campaigns:advance", args=[self.campaign.pk]),
            {"to": "active"},
        )
        form_b = self.get_as(
            self.liaison_b, reverse("campaigns:report_file", args=[self.campaign.pk, 1])
        )
        self.assertNotContains(form_b, "移送司法机关案件")
        form_a = self.get_as(
            self.liaison_a, reverse("campaigns:report_file", args=[self.campaign.pk, 1])
        )
        self.assertContains(form_a, "移送司法机关案件")

    def test_stages_and_summary_through_the_pages(self):
        detail = reverse("campaigns:detail", args=[self.campaign.pk])
        advance = reverse("campaigns:advance", args=[self.campaign.pk])
        self.assertContains(self.get_as(self.office, detail), "启动活动")
        self.assertNotContains(self.get_as(self.leader, detail), "启动活动")
        self.post_as(self.office, advance, {"to": "active"})
        self.post_as(self.office, advance, {"to": "summarising"})
        page = self.get_as(self.office, detail)
        self.assertContains(page, "请先撰写总结正文，再印发总结")
        summary = reverse("campaigns:summary", args=[self.campaign.pk])
        self.campaign.refresh_from_db()
        self.post_as(
            self.office,
            summary,
            {
                "summary": "一、总体情况\n成效明显。",
                "version": self.campaign.edit_version,
            },
        )
        self.assertContains(self.get_as(self.office, detail), "印发总结并归档")
        self.post_as(self.office, advance, {"to": "archived"})
        self.campaign.refresh_from_db()
        self.assertEqual(self.campaign.status, Campaign.Status.ARCHIVED)
        self.assertEqual(
            self.get_as(
                self.office, reverse("campaigns:edit", args=[self.campaign.pk])
            ).status_code,
            302,
        )

    def test_edit_after_start_keeps_the_plan(self):
        self.post_as(
            self.office,
            reverse("campaigns:advance", args=[self.campaign.pk]),
            {"to": "active"},
        )
        self.campaign.refresh_from_db()
        url = reverse("campaigns:edit", args=[self.campaign.pk])
        page = self.get_as(self.office, url)
        self.assertNotIn("units", page.context["form"].fields)
        response = self.post_as(
            self.office,
            url,
            {
                "name": "改名后的行动",
                "description": "新的说明",
                "version": self.campaign.edit_version,
            },
        )
        self.assertEqual(response.status_code, 302)
        self.campaign.refresh_from_db()
        self.assertEqual(self.campaign.name, "改名后的行动")
        # a stale second edit is refused, the input kept
        response = self.post_as(
            self.office, url, {"name": "另一个名字", "description": "", "version": 1}
        )
        self.assertContains(response, "已被他人修改")
        self.assertContains(response, "另一个名字")
        self.campaign.refresh_from_db()
        self.assertEqual(self.campaign.name, "改名后的行动")


class UnitHomeTests(PortalTestCase):
    def test_home_lists_campaigns_and_owed_reports(self):
        campaign = make_campaign(
            by=self.office, organiser=self.unit_a, units=[self.unit_a, self.unit_b]
        )
        report = file(campaign, 1, self.liaison_b)
        returned(report, self.liaison_a)
        home = self.get_as(self.liaison_b, "/")
        self.assertContains(home, "本单位参加的专项行动")
        self.assertContains(home, campaign.name)
        self.assertContains(home, "报表被退回")
        self.assertContains(home, "数据与清单不一致")
        self.assertContains(home, "逾期未报")  # period 2 ended more than a week ago
        self.assertTrue(
            self.liaison_b.notifications.filter(text__contains="报表被退回").exists()
        )
        # resubmitting clears the returned line
        from campaigns import reports

        from .factories import period, values

        reports.report_file(
            campaign=campaign,
            period=period(campaign, 1),
            by=self.liaison_b,
            version=UnitReport.objects.get(pk=report.pk).edit_version,
            narrative="已核实",
            values=values(campaign),
        )
        self.assertNotContains(self.get_as(self.liaison_b, "/"), "报表被退回")
        self.assertNotContains(self.get_as(self.outsider, "/"), campaign.name)


class CalendarTests(PortalTestCase):
    def test_campaign_dates_in_the_feeds(self):
        campaign = make_campaign(
            by=self.office, organiser=self.unit_a, units=[self.unit_a]
        )
        other = make_campaign(
            by=self.office,
            organiser=self.unit_out,
            units=[self.unit_out],
            name="林业局宣传",
        )
        ics = self.get_as(self.liaison_a, reverse("meetings:calendar")).content.decode()
        self.assertIn(f"UID:campaign-{campaign.pk}@", ics)
        self.assertNotIn(f"UID:campaign-{other.pk}@", ics)
        self.assertIn("报送时限", ics)
        self.assertIn("DTSTART;VALUE=DATE:" + campaign.start_on.strftime("%Y%m%d"), ics)
        key = CalendarFeedKey.for_user(self.leader)
        self.client.logout()
        feed = self.client.get(
            reverse("meetings:calendar_feed", args=[key.token])
        ).content.decode()
        self.assertIn(f"UID:campaign-{other.pk}@", feed)
        self.assertIn(f"UID:campaign-{campaign.pk}@", feed)


class BenchSeedTests(PortalTestCase):
    def test_seed_bench_adds_campaigns_with_grants(self):
        from io import StringIO

        from django.core.management import call_command

        from campaigns.models import Figure

        call_command(
            "seed_bench",
            "--years",
            "2",
            "--tasks",
            "50",
            "--reports",
            "50",
            "--users",
            "30",
            "--campaigns",
            "12",
            "--force",
            stdout=StringIO(),
        )
        self.assertEqual(Campaign.objects.count(), 12)
        self.assertTrue(Figure.objects.exists())
        from members.models import User

        campaign = Campaign.objects.order_by("pk").first()
        liaison = User.objects.get(username=f"bench_liaison_{campaign.organiser.code}")
        self.assertEqual(
            set(Campaign.objects.visible_to(liaison).values_list("pk", flat=True)),
            set(Campaign.objects.for_unit(liaison.unit).values_list("pk", flat=True)),
        )
        self.assertEqual(
            self.get_as(liaison, campaign.get_absolute_url()).status_code, 200
        )
        outsider = (
            User.objects.filter(username__startswith="bench_liaison_")
            .exclude(unit__in=campaign.units.all())
            .first()
        )
        self.assertEqual(
            self.get_as(outsider, campaign.get_absolute_url()).status_code, 404
        )


class DashboardTests(PortalTestCase):
    def test_campaign_figures_on_the_leaders_dashboard(self):
        campaign = make_campaign(
            by=self.office, organiser=self.unit_a, units=[self.unit_a]
        )
        with self.captureOnCommitCallbacks(execute=True):
            file(campaign, 1, self.liaison_a, enf_filed=4)
        url = reverse("dashboard:index") + f"?year={campaign.start_on.year}"
        page = self.get_as(self.leader, url)
        self.assertContains(page, f"{campaign.start_on.year}年联合执法行动与宣传活动")
        self.assertContains(page, "1 项，进行中 1 项")
        self.assertContains(
            page,
            '<th class="fw-normal">立案（件）</th><td class="text-end">4</td>',
            html=True,
        )
        # a new report shows at once (the cached figures are dropped on commit)
        with self.captureOnCommitCallbacks(execute=True):
            file(campaign, 2, self.liaison_a, enf_filed=3)
        page = self.get_as(self.leader, url)
        self.assertContains(
            page,
            '<th class="fw-normal">立案（件）</th><td class="text-end">7</td>',
            html=True,
        )
        self.assertEqual(self.get_as(self.liaison_a, url).status_code, 404)
