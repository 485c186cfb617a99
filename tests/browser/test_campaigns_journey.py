"""A unit files its late figures on a phone; the office issues the publicity
week's summary PDF — in the browser, on the demo data."""

from __future__ import annotations

import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.conftest import job_worker, login, logout

pytestmark = pytest.mark.browser


def test_unit_files_figures_and_office_issues_summary(page, portal_url):
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on(
        "response",
        lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 500 else None,
    )
    # 区农业农村局 is late with the second period of the “铁拳” action
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, portal_url, "liaison_nyncj")
    late = page.locator("section", has_text="本单位参加的专项行动").get_by_role(
        "link", name="第2期"
    )
    late.first.click()
    page.wait_for_load_state("networkidle")
    assert "填报数据" in page.title()
    values = {
        "出动执法人员（人次）": "16",
        "检查经营主体（户次）": "40",
        "立案（件）": "1",
        "结案（件）": "3",  # one case filed earlier, so 3 closed is too many
        "罚没款（万元）": "0.8",
        "查扣侵权假冒商品（件）": "60",
        "移送司法机关案件（件）": "0",
        "涉案金额（万元）": "1.6",
    }
    for label, value in values.items():
        page.get_by_role("textbox", name=label, exact=True).fill(value)
    page.get_by_label("工作情况").fill(
        "联合市场监管部门检查农资经营门店，查处假冒种子案件。"
    )
    page.get_by_label("案例标题").first.fill("查处销售假冒玉米种子案")
    page.get_by_label("简要案情").first.fill(
        "检查中发现某农资店销售假冒品牌玉米种子60袋，已立案查处。"
    )
    page.get_by_role("button", name="报送").click()
    page.wait_for_load_state("networkidle")
    alert = page.locator(".alert-danger").first.inner_text()
    assert "区农业农村局" in alert and "第2期" in alert and "结案（件）" in alert
    assert "结案数不能大于立案数" in alert
    # the input is still there; correct the figure and file
    assert page.get_by_label("案例标题").first.input_value() == "查处销售假冒玉米种子案"
    page.get_by_role("textbox", name="结案（件）", exact=True).fill("1")
    page.get_by_role("button", name="报送").click()
    page.wait_for_load_state("networkidle")
    assert "的报表已报送" in page.content()
    assert "查处销售假冒玉米种子案" in page.content()
    logout(page)

    # the office sees the report and issues the 4·26 week's summary
    page.set_viewport_size({"width": 1366, "height": 768})
    login(page, portal_url, "office")
    page.goto(portal_url + "/campaigns/?kind=enforcement")
    page.get_by_role("link", name="铁拳").first.click()
    row = page.locator(".status-grid tr", has_text="区农业农村局")
    assert row.get_by_role("img", name="已报送").count() == 2
    page.goto(portal_url + "/campaigns/?kind=publicity")
    page.get_by_role("link", name="宣传周").first.click()
    assert page.locator(".figure-table tfoot").inner_text().split()[1] == "29"
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="印发总结并归档").click()
    page.wait_for_load_state("networkidle")
    assert "已归档" in page.locator("h1").inner_text()
    # the summary is laid out by a worker: the job page, then the file
    page.get_by_role("link", name="活动总结（PDF）").click()
    page.wait_for_url("**/jobs/*/")
    with job_worker():
        link = page.get_by_role("link", name="下载 ")
        expect(link).to_be_visible(timeout=60_000)  # htmx polling
        with page.expect_download() as info:
            link.click()
    download = info.value
    assert download.suggested_filename.endswith("宣传周活动总结.pdf")
    with open(download.path(), "rb") as fh:
        text = "".join(
            "".join(p.extract_text().split())
            for p in PdfReader(io.BytesIO(fh.read())).pages
        )
    assert "“4·26”知识产权宣传周活动总结" in text
    assert "草稿" not in text
    assert "各单位工作数据统计表" in text and "区委宣传部" in text
    assert "印发" in text
    assert not errors, errors
