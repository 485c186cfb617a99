"""405 and 400 answer the portal's own page; a tampered hidden field is said."""

from __future__ import annotations

from django.urls import reverse

from oversight import services as bulletins
from oversight.models import Bulletin
from tests.base import PortalTestCase
from tests.tasks.factories import make_task


class MethodPageTests(PortalTestCase):
    def test_get_to_a_post_only_view(self) -> None:
        task = make_task(by=self.office, lead=self.unit_a)
        response = self.get_as(self.office, reverse("tasks:close", args=[task.pk]))
        self.assertEqual(response.status_code, 405)
        self.assertIn("POST", response["Allow"])
        self.assertContains(response, "不能以这种方式打开此页面", status_code=405)
        self.assertContains(response, "返回工作台", status_code=405)

    def test_post_to_a_get_only_view(self) -> None:
        task = make_task(by=self.office, lead=self.unit_a)
        response = self.post_as(self.office, reverse("tasks:detail", args=[task.pk]))
        self.assertEqual(response.status_code, 405)
        self.assertContains(response, "这个页面不接受提交", status_code=405)

    def test_bad_request_page(self) -> None:
        # more fields than DATA_UPLOAD_MAX_NUMBER_FIELDS: Django's own 400
        self.login(self.office)
        data = {f"f{i}": "x" for i in range(1100)}
        response = self.client.post(reverse("meetings:create"), data)
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "提交的内容无法处理", status_code=400)


class HiddenFieldTests(PortalTestCase):
    def test_bulletin_version_tampered(self) -> None:
        bulletin = bulletins.bulletin_draft(
            period=Bulletin.Period.MONTH, year=2025, index=9, by=self.office
        )
        response = self.post_as(
            self.office,
            reverse("dashboard:bulletin_edit", args=[bulletin.pk]),
            {"title": "新标题", "narrative": "正文。", "version": "abc"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "页面中的隐藏信息无效")
        bulletin.refresh_from_db()
        self.assertNotEqual(bulletin.title, "新标题")
