"""Keyboard only: a unit's liaison signs for a task and files a progress report
without touching the mouse (Tab, typing and Enter)."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.browser

TASK = "2026-计划-9"  # assigned to 区工信局 in the demo data, not yet signed


def tab_to(page, matches, *, limit: int = 250) -> None:
    """Press Tab until the focused element satisfies ``matches`` (a JS predicate
    over document.activeElement)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(el => {matches})(document.activeElement)"):
            return
    raise AssertionError(f"Tab never reached: {matches}")


def enter(page) -> None:
    """Enter on the focused link, button or field, and wait for the next page."""
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")


def test_sign_and_report_with_the_keyboard(page, portal_url):
    page.goto(portal_url + "/accounts/login/")
    # The user name field has the focus when the page opens.
    page.keyboard.type("liaison_gxj")
    page.keyboard.press("Tab")
    page.keyboard.type(DEMO_PASSWORD)
    enter(page)

    tab_to(page, f"el.tagName === 'A' && el.textContent.includes('{TASK}')")
    enter(page)
    assert TASK in page.title()

    tab_to(page, "el.tagName === 'BUTTON' && el.textContent.includes('签收任务')")
    enter(page)
    assert page.get_by_text("已签收").first.is_visible()

    tab_to(page, "el.tagName === 'A' && el.textContent.trim().startsWith('报送进展')")
    enter(page)
    assert re.search(r"/report/$", page.url)

    tab_to(page, "el.name === 'text'")
    page.keyboard.type("已召开重点企业座谈会，确定首批托管企业名单。")
    page.keyboard.press("Tab")
    page.keyboard.type("20")
    tab_to(page, "el.tagName === 'BUTTON' && el.textContent.includes('报送')")
    enter(page)
    assert TASK in page.title()
    assert page.get_by_text(
        "已召开重点企业座谈会，确定首批托管企业名单。"
    ).first.is_visible()
    assert page.get_by_text("20%").first.is_visible()
