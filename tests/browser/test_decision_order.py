"""Decided matters keep the order the person sees on the form: three default rows
and two rows added with "添加一项议定事项" are stored and shown 1 to 5 as typed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.browser.conftest import login

pytestmark = pytest.mark.browser

TITLE = "议定事项顺序专题会议（浏览器测试）"
TEXTS = [f"第{n}项：议定事项顺序检查。" for n in "一二三四五"]


def test_added_rows_follow_the_default_rows(page, portal_url):
    base = portal_url
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, base, "office")
    page.goto(base + "/meetings/new/")
    page.get_by_label("会议类型").select_option(label="专题会议")
    page.get_by_label("会议名称").fill(TITLE)
    starts = timezone.localtime() - timedelta(hours=2)
    page.get_by_label("开始时间").fill(starts.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("会议地点").fill("区政府第三会议室")
    page.get_by_label("区司法局", exact=True).check()
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("button", name="标记为已召开").click()
    page.wait_for_load_state("networkidle")

    page.get_by_role("link", name="起草纪要").click()
    page.wait_for_load_state("networkidle")
    page.get_by_label("纪要正文").fill("会议研究了议定事项的顺序。")
    # the three default rows show their numbers
    for i in range(3):
        assert page.locator(f"[name=dec-{i}-ORDER]").input_value() == str(i + 1)
    for _ in range(2):
        page.get_by_role("button", name="添加一项议定事项").click()
    shown = [page.locator(f"[name=dec-{i}-ORDER]").input_value() for i in range(5)]
    assert shown == ["1", "2", "3", "4", "5"]
    for i, text in enumerate(TEXTS):
        page.locator(f"[name=dec-{i}-text]").fill(text)
    page.get_by_role("button", name="保存草稿").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("纪要草稿已保存").is_visible()

    # stored numbers (the page prints each matter's stored number) and order
    for n, text in enumerate(TEXTS, start=1):
        assert page.locator(f"#decision-{n}").inner_text().startswith(f"{n}. {text}")
    body = page.locator("main").inner_text()
    positions = [body.index(text) for text in TEXTS]
    assert positions == sorted(positions)

    # the edit form shows them in the same order with the same numbers
    page.get_by_role("link", name="修改纪要").click()
    page.wait_for_load_state("networkidle")
    for i, text in enumerate(TEXTS):
        assert page.locator(f"[name=dec-{i}-text]").input_value() == text
        assert page.locator(f"[name=dec-{i}-ORDER]").input_value() == str(i + 1)
