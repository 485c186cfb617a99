"""Text that reaches an official document refuses bidirectional and other control
characters and characters the document fonts cannot print, naming the field."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.urls import reverse

from jinwei_ip.lib.text import official_text_problem, printable_codepoints
from meetings import services as meeting_services
from meetings.models import Meeting, Minutes
from meetings.services import DecisionInput
from oversight import services as bulletins
from oversight.models import Bulletin
from tests.base import PortalTestCase
from tests.meetings.factories import meeting

RLO = "\u202e"
EMOJI = "\U0001f600"


class ValidatorTests(PortalTestCase):
    def test_font_cmap_is_read(self) -> None:
        covered = printable_codepoints()
        self.assertIsNotNone(covered)
        self.assertIn(ord("中"), covered)
        self.assertNotIn(0x1F600, covered)

    def test_problems(self) -> None:
        self.assertIsNone(
            official_text_problem("关于①知识产权（2026）工作，“通知”：A-1。\n第二段")
        )
        for bad in [
            "\u202a",
            "\u202b",
            "\u202c",
            "\u202d",
            RLO,
            "\u2066",
            "\u2067",
            "\u2068",
            "\u2069",
            "\u200b",
            "\x07",
            "\ufeff",
            "\ue000",
        ]:
            problem = official_text_problem(f"标题{bad}文字")
            self.assertIn("控制字符", problem, repr(bad))
            self.assertIn(f"U+{ord(bad):04X}", problem)
        self.assertIn("无法打印", official_text_problem(f"好{EMOJI}"))


class FormTests(PortalTestCase):
    def test_meeting_title_with_bidi_control(self) -> None:
        before = Meeting.objects.count()
        response = self.post_as(
            self.office,
            reverse("meetings:create"),
            {
                "kind": Meeting.Kind.SPECIAL,
                "title": f"专题会议{RLO}议会",
                "starts_at": "2027-01-05T09:00",
                "place": "区政府第三会议室",
                "convener": Meeting.Convener.LEADER,
            },
        )
        self.assertContains(response, "“会议名称”含有看不见的控制字符")
        self.assertEqual(Meeting.objects.count(), before)

    def test_decision_with_emoji_names_the_row(self) -> None:
        m = meeting(self.office)
        response = self.post_as(
            self.office,
            reverse("meetings:minutes_create", args=[m.pk]),
            {
                "title": "纪要",
                "narrative": "正文。",
                "dec-TOTAL_FORMS": "1",
                "dec-INITIAL_FORMS": "0",
                "dec-0-text": f"开展宣传{EMOJI}",
                "dec-0-ORDER": "1",
            },
        )
        self.assertContains(response, "议定事项第1行")
        self.assertContains(response, "无法打印")
        self.assertFalse(Minutes.objects.filter(meeting=m).exists())

    def test_bulletin_narrative_with_emoji(self) -> None:
        bulletin = bulletins.bulletin_draft(
            period=Bulletin.Period.MONTH, year=2025, index=9, by=self.office
        )
        response = self.post_as(
            self.office,
            reverse("dashboard:bulletin_edit", args=[bulletin.pk]),
            {
                "title": "标题",
                "narrative": f"正文{EMOJI}",
                "version": bulletin.edit_version,
            },
        )
        self.assertContains(response, "“正文”含有公文字体无法打印的字符")
        bulletin.refresh_from_db()
        self.assertNotIn(EMOJI, bulletin.narrative)


class ServiceTests(PortalTestCase):
    def test_minutes_service_refuses(self) -> None:
        m = meeting(self.office)
        with self.assertRaises(ValidationError) as caught:
            meeting_services.minutes_draft(
                meeting=m,
                by=self.office,
                title=f"纪要{RLO}",
                narrative="正文",
                decisions=[DecisionInput(text="事项")],
            )
        self.assertIn("纪要标题", str(caught.exception))

    def test_bulletin_service_refuses(self) -> None:
        bulletin = bulletins.bulletin_draft(
            period=Bulletin.Period.MONTH, year=2025, index=8, by=self.office
        )
        with self.assertRaises(ValidationError):
            bulletins.bulletin_edit(
                bulletin=bulletin,
                title=f"标题{RLO}",
                narrative="正文",
                version=bulletin.edit_version,
                by=self.office,
            )


class AdminNameTests(PortalTestCase):
    def test_person_name_with_bidi_is_refused_in_admin(self) -> None:
        from members.models import Person

        self.client.force_login(self.office)
        before = Person.objects.count()
        response = self.client.post(
            reverse("admin:members_person_add"),
            {"name": f"王{RLO}五", "job_title": "", "phone": ""},
        )
        self.assertEqual(Person.objects.count(), before)
        self.assertContains(response, "“姓名”含有看不见的控制字符")


class FallbackTests(PortalTestCase):
    def test_without_a_cjk_font_the_unicode_blocks_decide(self) -> None:
        from unittest import mock

        with mock.patch("jinwei_ip.lib.text.printable_codepoints", return_value=None):
            self.assertIsNone(official_text_problem("知识产权（２０２６）①A-1，“好”"))
            self.assertIn("无法打印", official_text_problem(f"好{EMOJI}"))
            both = official_text_problem(f"好{RLO}{EMOJI}")
            self.assertIn("控制字符", both)
            self.assertIn("无法打印", both)
