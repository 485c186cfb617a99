"""Bulletins (通报): drafted from data, edited with locking, issued, frozen, sent."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from jinwei_ip.lib.pdf import official_date
from members.models import User
from notices.models import Notification
from oversight import bulletins, services
from oversight.models import Bulletin
from tests.base import PortalTestCase
from tests.oversight import factories
from tests.oversight.factories import TODAY


def draft(by, *, period="month", year=2025, index=9) -> Bulletin:
    return services.bulletin_draft(
        period=period, year=year, index=index, by=by, day=TODAY
    )


class DraftFromDataTests(PortalTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.data = factories.build(cls.cast)
        cls.bulletin = draft(cls.office)

    def test_period_and_title(self) -> None:
        b = self.bulletin
        self.assertEqual(
            (b.period_start, b.period_end),
            (TODAY.replace(day=1), TODAY.replace(day=30)),
        )
        self.assertEqual(b.title, "关于2025年9月知识产权督办任务进展情况的通报")
        self.assertEqual(b.status, Bulletin.Status.DRAFT)
        self.assertIsNone(b.issue_number)

    def test_overall_figures(self) -> None:
        totals = self.bulletin.figures["totals"]
        # T9 (closed in January) is not at work in September.
        self.assertEqual(totals["led"], 8)
        self.assertEqual(totals["closed"], 3)
        self.assertEqual(totals["closed_in_period"], 3)
        self.assertEqual(totals["completion_rate"], 37.5)
        self.assertEqual(
            totals["lights"], {"red": 2, "yellow": 2, "green": 1, "grey": 3}
        )

    def test_each_unit(self) -> None:
        units = {row["unit_code"]: row for row in self.bulletin.figures["units"]}
        self.assertEqual(len(units), 12)
        self.assertEqual(
            (units["sfj"]["led"], units["sfj"]["closed"], units["sfj"]["overdue"]),
            (4, 3, 2),
        )
        self.assertEqual(units["sfj"]["completion_rate"], 75.0)
        self.assertEqual(units["czj"]["co_handled"], 1)

    def test_red_and_yellow_items_with_reasons(self) -> None:
        figures = self.bulletin.figures
        red = {item["code"]: item for item in figures["red"]}
        self.assertEqual(list(red), ["T3", "T8"])
        self.assertEqual(red["T3"]["reason"], "已补充佐证材料，正在重新整理。")
        self.assertEqual(red["T3"]["days_late"], 14)
        self.assertEqual(red["T8"]["reason"], "申请延期：等待上级批复")
        self.assertEqual([i["code"] for i in figures["yellow"]], ["T5", "T7"])

    def test_units_that_reported_late_or_not_at_all(self) -> None:
        reporting = self.bulletin.figures["reporting"]
        missing = {e["unit_code"]: e["tasks"] for e in reporting["missing"]}
        late = {e["unit_code"]: e["tasks"] for e in reporting["late"]}
        # B's report on T3 is a co-unit's part: A's own report came after 09-15.
        self.assertEqual(missing, {"czj": ["T6", "T7"], "lyj": ["T8"]})
        self.assertEqual(late, {"sfj": ["T3"]})

    def test_narrative_in_chinese_from_figures(self) -> None:
        text = self.bulletin.narrative
        self.assertIn("本期纳入督办的任务共8项，已销号3项", text)
        self.assertIn("完成率37.5%", text)
        self.assertIn("区司法局牵头4项，已销号3项，完成率75%，逾期2项", text)
        self.assertIn("T3 任务T3（牵头单位：区司法局", text)
        self.assertIn("已逾期14天", text)
        self.assertIn("区财政局（2项：T6、T7）", text)
        self.assertIn("超过完成时限后才报送进展的单位：区司法局（T3）", text)
        self.assertTrue(text.endswith("纳入年度工作考评。\n\n特此通报。"), text[-40:])
        self.assertIn(
            "原定2025年9月1日",
            bulletins.narrative_from(
                {
                    **self.bulletin.figures,
                    "red": [
                        {
                            **self.bulletin.figures["red"][0],
                            "original_due_on": "2025-09-01",
                        }
                    ],
                }
            ),
        )

    def test_only_the_office_drafts(self) -> None:
        from django.core.exceptions import PermissionDenied

        for user in (self.leader, self.liaison_a):
            with self.assertRaises(PermissionDenied):
                draft(user)

    def test_future_period_refused(self) -> None:
        with self.assertRaises(ValidationError):
            draft(self.office, index=12)
        with self.assertRaises(ValidationError):
            draft(self.office, period="quarter", index=5)


class LifecycleTests(PortalTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        factories.build(cls.cast)

    def test_stale_edit_is_refused(self) -> None:
        b = draft(self.office)
        services.bulletin_edit(
            bulletin=b, title="标题一", narrative="正文一", version=1, by=self.office
        )
        with self.assertRaises(services.StaleEdit):
            services.bulletin_edit(
                bulletin=b,
                title="标题二",
                narrative="正文二",
                version=1,
                by=self.office,
            )
        b.refresh_from_db()
        self.assertEqual(
            (b.title, b.narrative, b.edit_version), ("标题一", "正文一", 2)
        )

    def test_issue_numbers_freeze_and_notify(self) -> None:
        year = timezone.localdate().year
        first, second = draft(self.office), draft(self.office, index=8)
        with self.captureOnCommitCallbacks(execute=True):
            services.bulletin_issue(bulletin=first, by=self.office)
        with self.captureOnCommitCallbacks(execute=True):
            services.bulletin_issue(bulletin=second, by=self.office)
        first.refresh_from_db()
        second.refresh_from_db()
        self.assertEqual((first.issue_year, first.issue_number), (year, 1))
        self.assertEqual(second.issue_number, 2)
        self.assertEqual(bulletins.number_label(second), f"金知领办通〔{year}〕2号")
        self.assertEqual(first.status, Bulletin.Status.ISSUED)
        self.assertEqual(first.issued_by, self.office)
        # Frozen: no edit, no second issue, no discard.
        with self.assertRaises(services.Frozen):
            services.bulletin_edit(
                bulletin=first,
                title="x",
                narrative="y",
                version=first.edit_version,
                by=self.office,
            )
        with self.assertRaises(services.Frozen):
            services.bulletin_issue(bulletin=first, by=self.office)
        with self.assertRaises(services.Frozen):
            services.bulletin_discard(bulletin=first, by=self.office)
        # Every active unit account got one notification per bulletin, and mail.
        unit_accounts = set(
            User.objects.filter(
                role__in=[User.Role.LIAISON, User.Role.UNIT_HEAD],
                unit__is_member=True,
                is_active=True,
            ).values_list("pk", flat=True)
        )
        self.assertEqual(len(unit_accounts), 4)
        notes = Notification.objects.filter(url=first.get_absolute_url())
        self.assertEqual(set(notes.values_list("recipient", flat=True)), unit_accounts)
        self.assertFalse(notes.filter(recipient=self.office).exists())
        self.assertIn(f"金知领办通〔{year}〕1号", notes.first().text)
        self.assertEqual(len(mail.outbox), 8)
        recipients = {m.to[0] for m in mail.outbox}
        self.assertEqual(
            recipients,
            {
                f"{u}@example.invalid"
                for u in ("liaison_a", "head_a", "liaison_b", "outsider")
            },
        )
        self.assertIn(first.title, mail.outbox[0].subject)
        self.assertIn(first.get_absolute_url(), mail.outbox[0].body)

    def test_numbers_restart_each_year(self) -> None:
        year = timezone.localdate().year
        Bulletin.objects.create(
            period="year",
            period_start=TODAY.replace(month=1, day=1),
            period_end=TODAY.replace(month=12, day=31),
            title="旧通报",
            narrative="正文",
            status=Bulletin.Status.ISSUED,
            issue_year=year - 1,
            issue_number=7,
            created_by=self.office,
        )
        b = services.bulletin_issue(bulletin=draft(self.office), by=self.office)
        self.assertEqual((b.issue_year, b.issue_number), (year, 1))


class BulletinViewTests(PortalTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        factories.build(cls.cast)
        cls.draft = draft(cls.office)
        cls.issued = draft(cls.office, index=8)
        services.bulletin_issue(bulletin=cls.issued, by=cls.office)

    def url(self, name: str, b: Bulletin | None = None) -> str:
        return reverse(f"dashboard:{name}", args=[b.pk] if b else [])

    def test_list(self) -> None:
        for user in (self.office, self.leader):
            response = self.get_as(user, self.url("bulletins"))
            self.assertContains(response, self.draft.title)
            self.assertContains(response, self.issued.title)
        response = self.get_as(self.liaison_a, self.url("bulletins"))
        self.assertContains(response, self.issued.title)
        self.assertNotContains(response, self.draft.title)
        self.assertNotContains(response, "起草通报")
        self.assertEqual(
            self.get_as(self.nobody, self.url("bulletins")).status_code, 404
        )
        self.assertLoginRedirect(self.get_as(None, self.url("bulletins")))
        self.assertEqual(
            self.post_as(self.office, self.url("bulletins")).status_code, 405
        )

    def test_list_search_by_title_or_number(self) -> None:
        self.issued.refresh_from_db()
        number = self.issued.issue_number
        for q in (
            bulletins.number_label(self.issued),
            f"〔{self.issued.issue_year}〕{number}号",
            f"{self.issued.issue_year}年{number}号",
        ):
            response = self.get_as(self.office, self.url("bulletins"), data={"q": q})
            self.assertEqual(list(response.context["bulletins"]), [self.issued], q)
        response = self.get_as(
            self.office, self.url("bulletins"), data={"q": "2025年8月"}
        )
        self.assertEqual(list(response.context["bulletins"]), [self.issued])
        response = self.get_as(
            self.office,
            self.url("bulletins"),
            data={"q": f"〔{self.issued.issue_year}〕{number + 1}号"},
        )
        self.assertEqual(list(response.context["bulletins"]), [])

    def test_detail_matrix(self) -> None:
        for user in (self.office, self.leader, self.deputy):
            self.assertEqual(
                self.get_as(user, self.url("bulletin", self.draft)).status_code, 200
            )
        for user in (self.liaison_a, self.head_a, self.outsider, self.nobody):
            self.assertEqual(
                self.get_as(user, self.url("bulletin", self.draft)).status_code, 404
            )
        for user in (self.office, self.leader, self.liaison_a, self.outsider):
            response = self.get_as(user, self.url("bulletin", self.issued))
            self.assertContains(response, bulletins.number_label(self.issued))
        self.assertEqual(
            self.get_as(self.nobody, self.url("bulletin", self.issued)).status_code, 404
        )
        self.assertLoginRedirect(self.get_as(None, self.url("bulletin", self.issued)))

    def test_detail_headings_stay_at_body_size(self) -> None:
        """The preview's 一、/（一） headings are bold body-size lines, not
        Bootstrap's .h1/.h2 display sizes (the red-headed paper read like a
        poster)."""
        html = self.get_as(self.office, self.url("bulletin", self.draft)).content
        html = html.decode()
        self.assertIn('<p class="bulletin-h1 fw-bold">一、总体情况</p>', html)
        self.assertIn(
            '<p class="bulletin-h2 fw-bold">（一）已逾期任务（红灯）</p>', html
        )
        self.assertNotIn('<p class="h1">', html)
        self.assertNotIn('<p class="h2">', html)

    def test_new_matrix_and_draft(self) -> None:
        self.assertEqual(
            self.get_as(self.office, self.url("bulletin_new")).status_code, 200
        )
        for user in (self.leader, self.liaison_a):
            self.assertEqual(
                self.get_as(user, self.url("bulletin_new")).status_code, 403
            )
        self.assertEqual(
            self.get_as(self.nobody, self.url("bulletin_new")).status_code, 404
        )
        self.assertLoginRedirect(self.get_as(None, self.url("bulletin_new")))
        response = self.post_as(
            self.office,
            self.url("bulletin_new"),
            {"period": "quarter", "year": "2025", "quarter": "3"},
        )
        b = Bulletin.objects.latest("pk")
        self.assertRedirects(response, b.get_absolute_url())
        self.assertEqual((b.period_start.month, b.period_end.month), (7, 9))
        self.assertIn("2025年第三季度", b.title)

    def test_second_bulletin_of_a_period_is_flagged(self) -> None:
        response = self.post_as(
            self.office,
            self.url("bulletin_new"),
            {"period": "month", "year": "2025", "month": "8"},
            follow=True,
        )
        self.issued.refresh_from_db()
        number = bulletins.number_label(self.issued)
        self.assertTrue(number)
        self.assertContains(response, f"本期已有 1 份通报（{number}），请勿重复印发")
        response = self.post_as(
            self.office,
            self.url("bulletin_new"),
            {"period": "month", "year": "2025", "month": "7"},
            follow=True,
        )
        self.assertContains(response, "已依据数据起草通报")
        self.assertNotContains(response, "请勿重复印发")

    def test_new_needs_month_for_monthly(self) -> None:
        count = Bulletin.objects.count()
        response = self.post_as(
            self.office, self.url("bulletin_new"), {"period": "month", "year": "2025"}
        )
        self.assertContains(response, "月度通报请选择月份")
        self.assertEqual(Bulletin.objects.count(), count)

    def test_edit_matrix(self) -> None:
        self.assertEqual(
            self.get_as(self.office, self.url("bulletin_edit", self.draft)).status_code,
            200,
        )
        self.assertEqual(
            self.get_as(self.leader, self.url("bulletin_edit", self.draft)).status_code,
            403,
        )
        self.assertEqual(
            self.get_as(
                self.liaison_a, self.url("bulletin_edit", self.draft)
            ).status_code,
            404,
        )
        self.assertEqual(
            self.get_as(
                self.liaison_a, self.url("bulletin_edit", self.issued)
            ).status_code,
            403,
        )
        self.assertLoginRedirect(
            self.get_as(None, self.url("bulletin_edit", self.draft))
        )

    def test_issued_is_frozen(self) -> None:
        response = self.get_as(self.office, self.url("bulletin_edit", self.issued))
        self.assertContains(response, "已印发", status_code=403)
        self.assertContains(response, "不能再修改", status_code=403)
        response = self.post_as(
            self.office,
            self.url("bulletin_edit", self.issued),
            {"title": "改", "narrative": "改", "version": self.issued.edit_version},
        )
        self.assertEqual(response.status_code, 403)
        self.issued.refresh_from_db()
        self.assertNotEqual(self.issued.title, "改")

    def test_edit_and_stale_edit_keeps_text(self) -> None:
        url = self.url("bulletin_edit", self.draft)
        response = self.post_as(
            self.office,
            url,
            {"title": "新标题", "narrative": "第一段\n\n第二段", "version": 1},
        )
        self.assertRedirects(response, self.draft.get_absolute_url())
        response = self.post_as(
            self.office,
            url,
            {"title": "我的标题", "narrative": "我写的正文", "version": 1},
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "已被他人修改")
        self.assertContains(response, "我写的正文")  # their text is kept
        self.assertContains(response, "第一段")  # and the saved one shown beside it
        self.draft.refresh_from_db()
        self.assertEqual(self.draft.title, "新标题")

    def test_issue_matrix(self) -> None:
        url = self.url("bulletin_issue", self.draft)
        self.assertEqual(self.get_as(self.office, url).status_code, 405)
        self.assertEqual(self.post_as(self.liaison_a, url).status_code, 404)
        self.assertEqual(self.post_as(self.leader, url).status_code, 403)
        self.assertEqual(
            self.post_as(
                self.liaison_a, self.url("bulletin_issue", self.issued)
            ).status_code,
            403,
        )
        self.assertLoginRedirect(self.post_as(None, url))
        self.assertEqual(
            self.post_as(
                self.office, self.url("bulletin_issue", self.issued)
            ).status_code,
            403,
        )
        response = self.post_as(self.office, url, {"version": self.draft.edit_version})
        self.assertRedirects(response, self.draft.get_absolute_url())
        self.draft.refresh_from_db()
        self.assertEqual(self.draft.status, Bulletin.Status.ISSUED)
        self.assertEqual(self.draft.issue_number, 2)

    def test_issue_with_stale_version_is_refused(self) -> None:
        response = self.post_as(
            self.office, self.url("bulletin_issue", self.draft), {"version": "99"}
        )
        self.assertRedirects(response, self.draft.get_absolute_url())
        self.draft.refresh_from_db()
        self.assertEqual(self.draft.status, Bulletin.Status.DRAFT)

    def test_discard(self) -> None:
        url = self.url("bulletin_discard", self.draft)
        self.assertEqual(self.get_as(self.office, url).status_code, 405)
        self.assertEqual(self.post_as(self.leader, url).status_code, 403)
        self.assertEqual(
            self.post_as(
                self.office, self.url("bulletin_discard", self.issued)
            ).status_code,
            403,
        )
        self.assertRedirects(self.post_as(self.office, url), self.url("bulletins"))
        self.assertFalse(Bulletin.objects.filter(pk=self.draft.pk).exists())

    def test_pdf_matrix(self) -> None:
        self.assertEqual(
            self.get_as(
                self.liaison_a, self.url("bulletin_pdf", self.draft)
            ).status_code,
            404,
        )
        self.assertEqual(
            self.get_as(self.nobody, self.url("bulletin_pdf", self.issued)).status_code,
            404,
        )
        self.assertLoginRedirect(
            self.get_as(None, self.url("bulletin_pdf", self.issued))
        )
        response = self.get_as(self.office, self.url("bulletin_pdf", self.draft))
        self.assertEqual(response["Content-Type"], "application/pdf")


class PdfTests(PortalTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        factories.build(cls.cast)
        cls.bulletin = draft(cls.office)
        services.bulletin_edit(
            bulletin=cls.bulletin,
            title=cls.bulletin.title,
            narrative=cls.bulletin.narrative + '\n\n<img src="file:///etc/passwd">',
            version=1,
            by=cls.office,
        )
        services.bulletin_issue(bulletin=cls.bulletin, by=cls.office)

    def test_liaison_downloads_official_pdf(self) -> None:
        from pypdf import PdfReader

        response = self.get_as(
            self.liaison_a, reverse("dashboard:bulletin_pdf", args=[self.bulletin.pk])
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertIn("attachment", response["Content-Disposition"])
        data = response.content
        reader = PdfReader(io.BytesIO(data))
        self.assertGreaterEqual(len(reader.pages), 2)
        box = reader.pages[0].mediabox
        self.assertAlmostEqual(float(box.width), 595.28, delta=1)  # A4
        self.assertAlmostEqual(float(box.height), 841.89, delta=1)
        fonts = set()
        for page in reader.pages:
            for font in (page["/Resources"].get("/Font") or {}).values():
                fonts.add(str(font.get_object()["/BaseFont"]))
        self.assertTrue(any("CJK" in f for f in fonts), fonts)  # embedded CJK
        text = "".join(self.pdftotext(data).split())  # wrapped lines, spacing
        number = bulletins.number_label(self.bulletin)
        self.assertIn("金台区知识产权工作协调领导小组办公室", text)
        self.assertIn(number, text)
        self.assertIn("各成员单位：", text)
        self.assertIn("关于2025年9月知识产权督办任务进展情况的通报", text)
        self.assertIn("—1—", text)
        self.assertIn("—2—", text)
        self.assertIn("各成员单位督办任务完成情况", text)
        # The narrative is text, never markup: no image was fetched or drawn.
        self.assertIn('<imgsrc="file:///etc/passwd">', text)
        # 落款 never stands alone on a page: it shares one with the last paragraph.
        pages = self.pdftotext(data).split("\f")
        signed = [p for p in pages[1:] if bulletins.ISSUER in p and "附表" not in p]
        self.assertEqual(len(signed), 1)
        self.assertIn("<img", signed[0])

    def pdftotext(self, data: bytes) -> str:
        binary = shutil.which("pdftotext")
        if binary is None:
            from pypdf import PdfReader

            return "\n".join(
                p.extract_text() for p in PdfReader(io.BytesIO(data)).pages
            )
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "b.pdf"
            path.write_bytes(data)
            return subprocess.run(
                [binary, "-layout", str(path), "-"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout

    def test_page_numbers_alternate_sides(self) -> None:
        from pypdf import PdfReader

        from oversight.bulletin_pdf import render_bulletin

        reader = PdfReader(io.BytesIO(render_bulletin(self.bulletin)))
        positions = {}

        for index in (0, 1):
            found = []

            def visitor(text, cm, tm, font, size, found=found):
                if "—" in text:
                    found.append(tm[4])

            reader.pages[index].extract_text(visitor_text=visitor)
            positions[index] = found
        self.assertTrue(positions[0] and positions[1], positions)
        # Odd pages carry the number on the right, even pages on the left.
        self.assertGreater(max(positions[0]), 300)
        self.assertLess(min(positions[1]), 300)

    def test_dates_and_the_imprint(self) -> None:
        from oversight.bulletin_pdf import render_bulletin

        bulletin = Bulletin.objects.get(pk=self.bulletin.pk)
        issued = self.pdftotext(render_bulletin(bulletin))
        as_of = official_date(bulletin.figures["as_of"])
        self.assertIn(f"数据截至{as_of}", "".join(issued.split()))
        day = timezone.localdate(bulletin.issued_at)
        self.assertIn(f"{day.year}年{day.month}月{day.day}日印发", issued)
        # The 版记 closes the last page: only the page number is below it.
        last = [p for p in issued.split("\f") if p.strip()][-1]
        lines = [line.strip() for line in last.splitlines() if line.strip()]
        self.assertIn("印发", lines[-2])
        self.assertIn("—", lines[-1])
        # A draft has no date of issue yet: it does not print today's.
        text = "".join(self.pdftotext(render_bulletin(draft(self.office))).split())
        self.assertIn("（印发日期）", text)
        self.assertIsNone(re.search(r"\d+日印发", text))
