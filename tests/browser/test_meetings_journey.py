"""A special meeting from topic to issued minutes, done by hand in the browser.

Two unit liaisons raise coordination topics; the office creates a special meeting
for their two units, puts both topics on the agenda, marks it held, records the
attendance, drafts minutes with three decided matters and submits them; the 组长
approves; the office issues them. A liaison of a concerned unit reads the issued
minutes and downloads the PDF; a liaison of an unconcerned unit gets 404.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.browser.conftest import login, logout

pytestmark = pytest.mark.browser

TITLE = "知识产权纠纷协调专题会议（浏览器测试）"
TOPIC_SFJ = "知识产权纠纷调解与司法确认衔接（浏览器测试）"
TOPIC_CZJ = "知识产权资助资金拨付协同（浏览器测试）"


def _raise_topic(page, base: str, username: str, title: str, related: str) -> None:
    logout(page)
    login(page, base, username)
    page.get_by_role("link", name="议题", exact=True).first.click()
    page.get_by_role("link", name="提出协调议题").click()
    page.locator("#id_title").fill(title)
    page.get_by_label("需协调的事项").fill("需要相关部门协同解决，请领导小组研究。")
    page.get_by_label(related, exact=True).check()
    page.get_by_role("button", name="提交议题").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name=title).is_visible()


def test_meeting_journey(page, portal_url):
    page.on("dialog", lambda dialog: dialog.accept())
    base = portal_url

    _raise_topic(page, base, "liaison_sfj", TOPIC_SFJ, "区人民法院")
    _raise_topic(page, base, "liaison_czj", TOPIC_CZJ, "区市场监管局")

    # The office creates a special meeting for the two units (started an hour ago).
    logout(page)
    login(page, base, "office")
    page.goto(base + "/meetings/")
    page.get_by_role("link", name="新建会议").click()
    page.get_by_label("会议类型").select_option(label="专题会议")
    page.get_by_label("会议名称").fill(TITLE)
    starts = timezone.localtime() - timedelta(hours=1)
    page.get_by_label("开始时间").fill(starts.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("会议地点").fill("区政府第三会议室")
    page.get_by_label("区司法局", exact=True).check()
    page.get_by_label("区财政局", exact=True).check()
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name=re.compile(TITLE)).is_visible()
    meeting_url = page.url

    # Both unit topics on the agenda, in order, with presenters.
    for topic, presenter in (
        (f"区司法局：{TOPIC_SFJ}", "区司法局 蒋平"),
        (f"区财政局：{TOPIC_CZJ}", "区财政局 韩涛"),
    ):
        page.get_by_label("待安排的议题", exact=True).select_option(label=topic)
        page.get_by_label("汇报人").fill(presenter)
        page.get_by_role("button", name="列入议程").click()
        page.wait_for_load_state("networkidle")
    agenda = page.locator("#agenda .agenda-list").inner_text()
    assert agenda.index(TOPIC_SFJ) < agenda.index(TOPIC_CZJ)
    assert "汇报人：区财政局 韩涛" in agenda

    page.get_by_role("button", name="标记为已召开").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("会议已标记为已召开").is_visible()

    # Attendance: the roster is prefilled; one member is on leave with a substitute.
    page.get_by_role("link", name="记录出席情况").click()
    page.wait_for_load_state("networkidle")
    rows = page.locator("#att-rows tr")
    # count() does not wait: wait for the page's own rows (the roster) first.
    rows.nth(3).wait_for()
    assert rows.count() >= 4
    czj_row = page.locator(
        "#att-rows tr", has=page.locator("option[selected]", has_text="韩涛")
    )
    czj_row.locator("select[name$='-status']").select_option(label="请假")
    czj_row.locator("select[name$='-substitute']").select_option(
        label="杨柳 · 区财政局"
    )
    page.get_by_role("button", name="保存出席情况").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("出席情况已保存").is_visible()
    assert "杨柳" in page.locator("#att-title").locator("..").inner_text()

    # Minutes with three decided matters, submitted for approval.
    page.get_by_role("link", name="起草纪要").click()
    page.get_by_label("纪要正文").fill(
        "会议研究了区司法局、区财政局提出的两个协调议题。\n\n会议议定以下事项。"
    )
    texts = [
        "由区司法局会同区人民法院建立知识产权纠纷调解与司法确认衔接机制。",
        "由区财政局会同区市场监管局在年底前完成知识产权资助资金拨付。",
        "由区市场监管局汇总各单位落实情况，下次会议前报领导小组。",
    ]
    for i, text in enumerate(texts):
        page.locator(f"[name=dec-{i}-text]").fill(text)
    page.locator("[name=dec-0-units_text]").fill("区司法局、区人民法院")
    page.get_by_role("button", name="保存草稿").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("纪要草稿已保存").is_visible()
    minutes_url = page.url
    for text in texts:
        assert page.get_by_text(text).is_visible()
    page.get_by_role("button", name="报送审批").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("纪要已报送审批").is_visible()

    # The 组长 approves.
    logout(page)
    login(page, base, "zuzhang")
    page.goto(minutes_url)
    page.get_by_role("button", name="审批同意").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("纪要已审批同意").is_visible()

    # The office issues it with the next number of the year.
    logout(page)
    login(page, base, "office")
    page.goto(minutes_url)
    page.get_by_role("button", name="编号印发").click()
    page.wait_for_load_state("networkidle")
    year = timezone.localdate().year
    assert page.get_by_text(re.compile(rf"纪要已印发：〔{year}〕第\d+期")).is_visible()

    # A liaison of a concerned unit reads it and downloads the PDF.
    logout(page)
    login(page, base, "liaison_sfj")
    page.goto(minutes_url)
    assert page.get_by_text(texts[0]).is_visible()
    assert page.get_by_text("出席：").is_visible()
    with page.expect_download() as info:
        page.get_by_role("link", name="下载 PDF").click()
    download = info.value
    with open(download.path(), "rb") as fh:
        assert fh.read(5) == b"%PDF-"
    assert download.suggested_filename.endswith(".pdf")

    # A liaison of an unconcerned unit gets 404, for the minutes and the meeting.
    logout(page)
    login(page, base, "liaison_lyj")
    assert page.goto(minutes_url).status == 404
    assert page.goto(meeting_url).status == 404
    assert page.request.get(minutes_url.rstrip("/") + "/pdf/").status == 404
