"""Accessibility measured with axe-core (the script ships inside the
axe-playwright-python package: nothing is fetched) and the pages to measure, found
by walking each role's links from its home page."""

from __future__ import annotations

from collections import deque
from urllib.parse import urldefrag, urlsplit

from axe_playwright_python.sync_playwright import Axe

# WCAG 2.1 A and AA rules; "serious" and "critical" findings fail a page.
OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}
FAILING = ("serious", "critical")

# Accepted findings, each with its reason: (rule id, CSS selector fragment).
ACCEPTED: list[tuple[str, str, str]] = []

# Links a walk does not follow: downloads, actions and other sites' pages.
SKIP = (
    "/accounts/logout",
    "/admin/",
    "/i18n/",
    "/static/",
    "/media/",
    "export",
    ".pdf",
    ".xlsx",
    ".ics",
    "/feed/",
    "/evidence/",
    "/download",
    "/template",
)


def walk(page, base: str, *, limit: int) -> list[str]:
    """Same-site pages reachable from the current page, breadth first, without
    query strings (one page per view and object), at most ``limit``."""
    start = urlsplit(page.url).path
    seen = {start}
    order = [start]
    queue = deque([start])
    while queue and len(order) < limit:
        path = queue.popleft()
        if page.url != base + path:
            page.goto(base + path)
        hrefs = page.eval_on_selector_all(
            "main a[href], header a[href]",
            "els => els.map(e => e.getAttribute('href'))",
        )
        for href in hrefs:
            href = urldefrag(href or "")[0]
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            if any(s in parts.path for s in SKIP) or parts.path in seen:
                continue
            seen.add(parts.path)
            order.append(parts.path)
            queue.append(parts.path)
            if len(order) >= limit:
                break
    return order


_axe = None


def violations(page) -> list[dict]:
    """Serious and critical axe findings on the current page, less the accepted."""
    global _axe
    if _axe is None:
        _axe = Axe()
    found = _axe.run(page, options=OPTIONS).response["violations"]
    out = []
    for v in found:
        if v.get("impact") not in FAILING:
            continue
        nodes = [
            n
            for n in v["nodes"]
            if not any(
                v["id"] == rule and fragment in " ".join(n["target"])
                for rule, fragment, _reason in ACCEPTED
            )
        ]
        if nodes:
            out.append(
                {
                    "rule": v["id"],
                    "impact": v["impact"],
                    "help": v["help"],
                    "targets": [" ".join(n["target"]) for n in nodes][:5],
                }
            )
    return out
