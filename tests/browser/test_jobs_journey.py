"""A large export in the browser: the progress bar, then the file."""

from __future__ import annotations

from playwright.sync_api import expect

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
    page.goto(portal_url + "/jobs/")
    expect(page.get_by_role("link", name="下载")).to_have_count(1)
