"""Accessibility measured: axe-core on every page a role reaches from its home page
(walked link by link, downloads and actions left out), at a desktop's and a phone's
width: no serious or critical finding. The accepted exceptions, each with its
reason, are listed in tests/browser/a11y.py (ACCEPTED)."""

from __future__ import annotations

import pytest

from tests.browser.a11y import violations, walk
from tests.browser.conftest import login

pytestmark = pytest.mark.browser

# One account of each role: the office, a leader, a unit's liaison and its head.
ROLES = ["office", "zuzhang", "liaison_sfj", "head_sfj"]
WIDTHS = {"desktop": ((1366, 768), 36), "phone": ((390, 844), 12)}


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("username", ROLES)
def test_no_serious_findings(browser, portal_url, username, width):
    (w, h), limit = WIDTHS[width]
    context = browser.new_context(viewport={"width": w, "height": h}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        login(page, portal_url, username)
        paths = walk(page, portal_url, limit=limit)
        assert len(paths) >= min(limit, 8), paths  # the walk reached the journeys
        found = {}
        for path in paths:
            page.goto(portal_url + path)
            problems = violations(page)
            if problems:
                found[path] = problems
        assert not found, found
    finally:
        context.close()
