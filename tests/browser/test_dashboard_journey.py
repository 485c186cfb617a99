"""The leaders' dashboard and a bulletin's life, in the browser on the demo data.

The demo tasks change with the day, so the journey compares the dashboard with the
scorecard instead of expecting fixed numbers.
"""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import job_worker, login, logout

pytestmark = pytest.mark.browser

FIGURES = [
    "led",
    "closed",
    "on_time",
    "closed_late",
    "open_overdue",
    "completion_rate",
    "average_days_late",
    "co_handled",
]
LIGHTS = ["light_red", "light_yellow", "light_green", "light_grey"]


def watch_errors(page) -> list[str]:
    """Script errors, CSP refusals and failed requests (the browser's own favicon
    probe aside)."""
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on(
        "console",
        lambda msg: (
            errors.append(msg.text)
            if msg.type == "error" and "Failed to load resource" not in msg.text
            else None
        ),
    )
    page.on(
        "response",
        lambda r: (
            errors.append(f"{r.status} {r.url}")
            if r.status >= 400 and not r.url.endswith("/favicon.ico")
            else None
        ),
    )
    return errors


def figure(scope, name: str) -> str:
    return scope.locator(f'[data-figure="{name}"]').first.inner_text().strip()


def test_leader_dashboard_matches_unit_scorecard(page, portal_url):
    errors = watch_errors(page)
    login(page, portal_url, "zuzhang")
    page.locator("#overseer-summary").get_by_role("link", name="领导看板").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name=re.compile("领导看板")).is_visible()
    assert page.locator("#unit-table tbody tr").count() == 12
    # Charts are drawn (Chart.js from the app itself, no inline script).
    assert page.evaluate("() => !!Chart.getChart('chart-units')")
    assert page.evaluate("() => !!Chart.getChart('chart-lights')")

    with page.expect_navigation():
        page.locator("#id_unit").select_option(label="区司法局")
    assert "unit=sfj" in page.url
    row = page.locator('#unit-table tr[data-unit="sfj"]')
    assert page.locator("#unit-table tbody tr").count() == 1
    # One unit is a horizontal bar: its value axis counts whole tasks.
    ticks = page.evaluate(
        "() => Chart.getChart('chart-units').scales.x.ticks.map(t => t.value)"
    )
    assert ticks and all(float(t).is_integer() for t in ticks), ticks
    assert page.get_by_text("区司法局牵头任务完成情况").is_visible()
    board = {name: figure(row, name) for name in FIGURES}
    totals = page.locator("#lights-table")
    board_lights = {name: figure(totals, name) for name in LIGHTS}
    board_uncovered = figure(
        page.locator('#coverage-table tr[data-unit="sfj"]'), "uncovered"
    )

    page.goto(portal_url + "/units/sfj/")
    card = page.locator("#scorecard")
    assert card.is_visible()
    assert {name: figure(card, name) for name in FIGURES} == board
    assert {name: figure(card, name) for name in LIGHTS} == board_lights
    assert figure(card, "uncovered").split("/")[0].strip() == board_uncovered
    # The scorecard links back to the same selection of the dashboard.
    card.get_by_role("link", name="在看板中查看").click()
    page.wait_for_load_state("networkidle")
    assert "unit=sfj" in page.url
    assert (
        figure(page.locator('#unit-table tr[data-unit="sfj"]'), "led") == board["led"]
    )
    assert not errors, errors


def test_office_issues_bulletin_and_liaison_reads_it(page, portal_url):
    from pypdf import PdfReader

    errors = watch_errors(page)
    page.on("dialog", lambda dialog: dialog.accept())
    today = date.today()
    login(page, portal_url, "office")
    page.goto(portal_url + "/dashboard/bulletins/")
    page.get_by_role("link", name="起草通报").click()
    page.locator("#id_period").select_option("month")
    page.locator("#id_year").select_option(str(today.year))
    page.locator("#id_month").select_option(str(today.month))
    page.get_by_role("button", name="依据数据起草").click()
    page.wait_for_load_state("networkidle")
    title = f"关于{today.year}年{today.month}月知识产权督办任务进展情况的通报"
    assert page.get_by_role("heading", name=re.compile(title)).first.is_visible()
    body = page.locator("#bulletin-body").inner_text()
    assert "一、总体情况" in body and "二、各成员单位任务完成情况" in body

    page.get_by_role("link", name="修改正文").click()
    narrative = page.locator("#id_narrative")
    narrative.fill(
        narrative.input_value() + "\n\n请各成员单位于下月5日前报送整改情况。"
    )
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state("networkidle")
    assert "通报正文已保存" in page.locator("main").inner_text()
    assert (
        "请各成员单位于下月5日前报送整改情况。"
        in page.locator("#bulletin-body").inner_text()
    )

    page.get_by_role("button", name="印发").click()
    page.wait_for_load_state("networkidle")
    main = page.locator("main").inner_text()
    match = re.search(r"金知领办通〔\d{4}〕\d+号", main)
    assert match, main
    number = match.group(0)
    assert "已通知各成员单位" in main
    assert page.get_by_role("link", name="修改正文").count() == 0

    logout(page)
    login(page, portal_url, "liaison_sfj")
    page.goto(portal_url + "/dashboard/bulletins/")
    page.get_by_role("link", name=title).first.click()
    page.wait_for_load_state("networkidle")
    assert number in page.locator("#doc-number").inner_text()
    assert (
        "请各成员单位于下月5日前报送整改情况。"
        in page.locator("#bulletin-body").inner_text()
    )
    assert page.get_by_role("button", name="印发").count() == 0
    page.locator("#bulletin-pdf").click()  # the PDF is made by the job worker
    with job_worker():
        link = page.get_by_role("link", name="下载 ")
        expect(link).to_be_visible(timeout=60_000)
        with page.expect_download() as info:
            link.click()
    download = info.value
    data = open(download.path(), "rb").read()
    assert data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(data))
    text = "".join("".join(p.extract_text() for p in reader.pages).split())
    assert "".join(number.split()) in text
    assert "各成员单位" in text
    assert not errors, errors
