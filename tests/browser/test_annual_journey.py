"""A liaison fills in and submits the unit's annual report in the browser.

On the demo, 区林业局 is still drafting the year's round (which asks the unit
head to approve): its liaison opens the form from the home card, writes the
sections, a duty clause's note and a plan item, attaches a file and submits; the
unit head approves; the office sees the unit as submitted on the round page.
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.browser.conftest import login, logout

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_liaison_fills_and_submits(page, portal_url):
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, portal_url, "liaison_lyj")
    card = page.locator("section", has=page.locator("#annual-card-title"))
    assert "起草中" in card.inner_text()
    card.get_by_role("link", name="在线填报").click()
    page.get_by_label("本年度工作开展情况及成效").fill(
        "全年开展林业植物新品种保护宣传5场，查处侵权案件2起。"
    )
    page.get_by_label("存在的问题").fill("基层执法力量不足。")
    page.locator("textarea[name^=duty_]").first.fill("开展植物新品种保护执法检查3次。")
    next_year = date.today().year + 1
    page.get_by_label("第1条").fill("开展林业植物新品种保护专项行动")
    page.locator("#id_plan-0-due_on").fill(f"{next_year}-06-30")
    page.get_by_label("附件", exact=True).set_input_files(
        files=[
            {"name": "林业局总结附件.pdf", "mimeType": "application/pdf", "buffer": PDF}
        ]
    )
    page.get_by_role("button", name="保存并提交审核").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#submission-status").inner_text() == "待分管负责同志审核"
    assert "林业局总结附件.pdf" in page.content()
    assert "开展林业植物新品种保护专项行动" in page.content()
    submission_url = page.url

    logout(page)
    login(page, portal_url, "head_lyj")
    page.goto(submission_url)
    page.get_by_role("button", name="审核通过并报送").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#submission-status").inner_text() == "已报送"

    logout(page)
    login(page, portal_url, "office")
    page.goto(submission_url)
    page.locator(".breadcrumb a").nth(1).click()
    row = page.locator("#round-units tr", has_text="区林业局")
    assert "已报送" in row.inner_text()
