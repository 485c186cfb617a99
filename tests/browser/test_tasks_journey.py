"""The week of a supervised task, done by hand in the browser.

The office turns a decided matter of issued demo minutes into a task for a lead
unit (区司法局) and a co-unit (区财政局); the lead signs for it; the co-unit reports
its part with an attachment; the lead reports and asks for closure; the office
returns it once with a reason and, after the lead asks again, closes it; the
timeline shows every step.

While the meetings demo has no issued minutes, there is no decided matter to turn
into a task: the journey then starts from the demo work plan's "交办一项任务"
form instead (the rest is identical) and says so in the test output.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.browser.conftest import login, logout

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _open_assign_form(page, base: str) -> str:
    """A decided matter's "转为任务" form if the demo has issued minutes, else the
    work plan's new-task form. Returns which one."""
    for pk in range(1, 40):
        response = page.request.get(
            f"{base}/tasks/from-decision/{pk}/", max_redirects=0
        )
        if response.status == 200:
            page.goto(f"{base}/tasks/from-decision/{pk}/")
            return "decision"
    page.goto(base + "/tasks/plans/")
    page.locator("table a").first.click()
    page.get_by_role("link", name="交办一项任务").click()
    print("No issued demo minutes yet: the journey starts from the work plan.")
    return "plan"


def _as(page, base: str, username: str, task_url: str) -> None:
    logout(page)
    login(page, base, username)
    page.goto(task_url)


def test_task_journey(page, portal_url):
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, portal_url, "office")
    source = _open_assign_form(page, portal_url)
    page.get_by_label("任务名称").fill("建设知识产权公共法律服务工作站（浏览器测试）")
    if source == "plan":
        page.get_by_label("任务内容").fill("在区公共法律服务中心设立知识产权工作站。")
    page.get_by_label("牵头单位").select_option(label="区司法局")
    page.get_by_label("区财政局", exact=True).check()
    # only the chosen units' duty clauses are offered
    assert page.get_by_text("区林业局 1.").is_hidden()
    assert page.get_by_text("区司法局 1.").is_visible()
    due = (date.today() + timedelta(days=45)).isoformat()
    page.get_by_label("完成时限").fill(due)
    page.get_by_role("button", name="交办").click()
    page.get_by_text("已交办任务").wait_for()
    task_url = page.url
    assert "/tasks/" in task_url
    assert page.get_by_text("区财政局").first.is_visible()

    # The lead unit signs for it.
    _as(page, portal_url, "liaison_sfj", task_url)
    page.get_by_role("button", name="签收任务").click()
    page.get_by_text("已签收任务。").wait_for()

    # The lead reports first: closure waits for the co-unit, and the page says so
    # instead of offering a closure form that would be refused.
    page.get_by_role("link", name="报送进展").first.click()
    page.get_by_label("进展情况").fill("工作站选址已确定，牵头部分完成。")
    page.get_by_label("完成进度（%）").fill("100")
    page.get_by_role("button", name="报送").click()
    page.get_by_text("进展已报送。").wait_for()
    page.get_by_text("配合单位 区财政局 尚未报送配合进展").wait_for()
    assert page.get_by_role("button", name="申请销号").count() == 0

    # The co-unit reports its part, with an attachment; its form starts from its
    # own figure (none yet), not the lead's 100 %.
    _as(page, portal_url, "liaison_czj", task_url)
    page.get_by_role("link", name="报送配合进展").first.click()
    assert page.get_by_label("完成进度（%）").input_value() == "0"
    page.get_by_label("进展情况").fill("已安排工作站建设经费 5 万元。")
    page.get_by_label("完成进度（%）").fill("100")
    page.get_by_label("佐证材料").set_input_files(
        files=[
            {"name": "经费拨付文件.pdf", "mimeType": "application/pdf", "buffer": PDF}
        ]
    )
    page.get_by_role("button", name="报送").click()
    page.get_by_text("进展已报送。").wait_for()
    assert page.get_by_role("link", name="经费拨付文件.pdf").is_visible()

    # The lead reports the whole and asks for closure.
    _as(page, portal_url, "liaison_sfj", task_url)
    assert page.get_by_role("link", name="经费拨付文件.pdf").is_visible()
    page.get_by_role("link", name="报送进展").first.click()
    assert page.get_by_text("已安排工作站建设经费 5 万元。").is_visible()
    page.get_by_label("进展情况").fill("工作站已挂牌运行，接待咨询 12 次。")
    page.get_by_label("完成进度（%）").fill("100")
    page.get_by_role("button", name="报送").click()
    page.get_by_text("进展已报送。").wait_for()
    page.get_by_role("button", name="申请销号").click()
    page.get_by_text("已申请销号，等待办公室审核。").wait_for()

    # The office returns it once, with a reason.
    _as(page, portal_url, "office", task_url)
    page.get_by_label("退回销号申请的理由").fill("请补充工作站挂牌照片。")
    page.get_by_role("button", name="退回").click()
    page.get_by_text("已退回，并通知了承办单位。").wait_for()

    # The lead sees the reason and asks again.
    _as(page, portal_url, "liaison_sfj", task_url)
    assert page.get_by_text("请补充工作站挂牌照片。").first.is_visible()
    page.get_by_role("button", name="申请销号").click()
    page.get_by_text("已申请销号，等待办公室审核。").wait_for()

    # The office closes it.
    _as(page, portal_url, "office", task_url)
    page.get_by_role("button", name="审核通过，销号").click()
    page.get_by_text("任务已销号。").wait_for()
    timeline = page.locator("ol.timeline")
    text = timeline.inner_text()
    for step in ("交办", "签收", "报送进展", "申请销号", "退回", "销号"):
        assert step in text, step
    assert text.index("退回") < text.rindex("申请销号") < text.rindex("销号")
    assert "配合单位确认收到" not in text  # the co-unit only reported
    assert timeline.locator("li.kind-returned").count() == 1
    assert timeline.locator("li.kind-closed").count() == 1
