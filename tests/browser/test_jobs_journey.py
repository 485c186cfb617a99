"""Large exports and imports in the browser: the progress bar, then the file or
the page the import filled."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.tasks.factories import xlsx_bytes

from .conftest import RESULTS, job_worker, login


def test_large_ledger_pdf_shows_progress_then_the_file(page, portal_url):
    login(page, portal_url, "office")
    page.goto(portal_url + "/tasks/?status=")
    page.get_by_role("link", name="导出 PDF 台账").click()
    page.wait_for_url("**/jobs/*/")
    expect(page.get_by_role("heading", name="督办台账（PDF）")).to_be_visible()
    # no worker yet: the job waits, and the page says so beside the bar
    bar = page.get_by_role("progressbar", name="进度")
    expect(bar).to_be_visible()
    expect(bar).to_have_attribute("aria-valuenow", "0")
    expect(page.get_by_text("排队中，等待后台处理")).to_be_visible()
    RESULTS.mkdir(exist_ok=True)
    page.screenshot(path=str(RESULTS / "job-progress-queued.png"))
    with job_worker():
        download_link = page.get_by_role("link", name="下载 督办台账-")
        expect(download_link).to_be_visible(timeout=60_000)  # htmx polling
        expect(bar).to_have_attribute("aria-valuenow", "100")
        expect(page.get_by_text("已完成。")).to_be_visible()
        page.screenshot(path=str(RESULTS / "job-progress-done.png"))
        with page.expect_download() as info:
            download_link.click()
        download = info.value
        assert download.suggested_filename.endswith(".pdf")
        with open(download.path(), "rb") as f:
            assert f.read(5) == b"%PDF-"
    # the person's list of exports offers it again
    # (other journeys' jobs of the same person may be listed beside it)
    page.goto(portal_url + "/jobs/")
    row = page.locator("tbody tr", has_text="督办台账（PDF）")
    expect(row.get_by_role("link", name="下载")).to_have_count(1)


def test_large_plan_import_shows_progress_then_the_plan(page, portal_url):
    login(page, portal_url, "office")
    page.goto(portal_url + "/tasks/plans/")
    page.get_by_role("link", name=re.compile("知识产权强区建设工作计划")).first.click()
    plan_url = page.url
    page.get_by_role("link", name="从 Excel 导入").click()
    rows = [
        [1, "浏览器导入任务一", "区司法局", "区财政局", "年底前", ""],
        [2, "浏览器导入任务二", "区财政局", "", "年底前", ""],
        [3, "浏览器导入任务三", "区市场监管局", "区司法局", "年底前", ""],
    ]
    page.get_by_label("工作计划文件（.xlsx 或 .csv）").set_input_files(
        {
            "name": "计划.xlsx",
            "mimeType": "application/octet-stream",
            "buffer": xlsx_bytes(rows),
        }
    )
    page.get_by_role("button", name="上传并预览").click()
    expect(page.get_by_text("预览：共 3 项任务")).to_be_visible()
    expect(page.get_by_text("确认后由后台导入")).to_be_visible()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="确认导入").click()
    page.wait_for_url("**/jobs/*/")
    expect(page.get_by_role("heading", name=re.compile("导入工作计划"))).to_be_visible()
    bar = page.get_by_role("progressbar", name="进度")
    expect(bar).to_have_attribute("aria-valuenow", "0")
    expect(page.get_by_text("排队中，等待后台处理")).to_be_visible()
    with job_worker():
        result = page.get_by_role("link", name="查看结果")
        expect(result).to_be_visible(timeout=60_000)  # htmx polling
        expect(bar).to_have_attribute("aria-valuenow", "100")
        expect(page.get_by_text("导入 3 项任务")).to_be_visible()
        RESULTS.mkdir(exist_ok=True)
        page.screenshot(path=str(RESULTS / "job-import-done.png"))
    result.click()
    assert page.url == plan_url
    expect(page.get_by_text("浏览器导入任务三")).to_be_visible()
