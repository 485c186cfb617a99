"""The phone (390×844), where unit staff often work: tasks stack as blocks with
their codes whole, the ledger's filters fold away, and the task page's actions come
within the first screen."""

from __future__ import annotations

import pytest

from tests.browser.conftest import login

pytestmark = pytest.mark.browser


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="zh-CN"
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def _one_line(locator) -> bool:
    box = locator.bounding_box()
    line = float(locator.evaluate("el => parseFloat(getComputedStyle(el).lineHeight)"))
    return box is not None and box["height"] < line * 1.5


def test_unit_home_tasks_are_blocks_with_whole_codes(phone, portal_url):
    login(phone, portal_url, "liaison_sfj")
    rows = phone.locator(".unit-inbox table.table-stack tbody tr")
    assert rows.count() >= 3
    for i in range(rows.count()):
        row = rows.nth(i)
        main = row.locator(".stack-main")
        assert main.bounding_box()["width"] > 250  # not a few characters wide
        assert _one_line(row.locator(".task-code"))  # "2026-计划-7" never breaks
    # Nothing wider than the screen.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390


def test_ledger_filters_fold_and_rows_fit(phone, portal_url):
    login(phone, portal_url, "office")
    phone.goto(portal_url + "/tasks/")
    more = phone.locator("#filter-more")
    assert not phone.locator("#id_status").is_visible()
    phone.get_by_role("button", name="更多筛选条件").click()
    assert phone.locator("#id_status").is_visible()
    first = phone.locator("table.table-stack tbody tr").first
    lead = first.locator("td[data-label='牵头单位']")
    box = lead.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert more.get_attribute("class").split().count("show") == 1


def test_task_actions_within_the_first_screen(phone, portal_url):
    login(phone, portal_url, "liaison_sfj")
    phone.locator(".unit-inbox table a.task-code").first.click()
    phone.wait_for_load_state("networkidle")
    actions = phone.locator("#actions-title")
    assert actions.bounding_box()["y"] < 844 / 2
    footer = phone.locator("footer").bounding_box()
    padding = phone.locator("footer").evaluate(
        "el => parseFloat(getComputedStyle(el).paddingLeft)"
    )
    assert footer["x"] + padding >= 8  # the footer's text does not touch the edge
