"""Dashboard, scorecard and bulletins on the seeded database: time and query count.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jinwei_bench \\
        .venv/bin/python bench/bench_dashboard_queries.py --runs 10

Pages are fetched in-process with Django's test Client as the person who uses
them. Drafting a bulletin is measured without saving it (figures and narrative
of the current month), and so is its PDF. Read-only: nothing is written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
    median,
    ms,
    p95,
    setup_django,
    table,
    timed,
    verdict,
    write_section,
)

MAX_QUERIES = 15


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    setup_django()
    from django.conf import settings

    # What counting the figures costs: the once-a-minute cache is measured in pages.py.
    settings.DASHBOARD_CACHE_SECONDS = 0
    from common import data_size, database_version
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from members.models import User
    from oversight import bulletins, dashboard
    from oversight.bulletin_pdf import render_bulletin
    from oversight.models import Bulletin

    office = User.objects.get(username="bench_office")
    leader = User.objects.get(username="bench_leader")
    liaison = User.objects.get(username="bench_liaison_sfj")
    clients = {}
    for user in (office, leader, liaison):
        client = Client()
        client.force_login(user)
        clients[user.username] = client
    year = dashboard.today().year
    pages = [
        ("dashboard", leader, reverse("dashboard:index")),
        ("dashboard, every year", leader, reverse("dashboard:index") + "?year="),
        (
            "dashboard, one unit",
            leader,
            reverse("dashboard:index") + f"?year={year}&unit=sfj",
        ),
        ("unit page with scorecard", liaison, reverse("members:unit", args=["sfj"])),
        ("office home (key figures)", office, reverse("home")),
        ("bulletin list", office, reverse("dashboard:bulletins")),
        ("bulletin list", liaison, reverse("dashboard:bulletins")),
    ]
    rows, data = [], []
    for label, user, url in pages:
        client = clients[user.username]
        response = client.get(url)
        if response.status_code != 200:
            rows.append(
                [label, user.username, url, "—", "—", "—", response.status_code]
            )
            continue
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        n = len(queries.captured_queries)
        samples = timed(lambda u=url, c=client: c.get(u), runs=args.runs)
        rows.append(
            [
                label,
                user.username,
                f"`{url}`",
                ms(median(samples)),
                ms(p95(samples)),
                n,
                verdict(n <= MAX_QUERIES),
            ]
        )
        data.append(
            {
                "page": label,
                "as": user.username,
                "url": url,
                "median_ms": median(samples),
                "p95_ms": p95(samples),
                "queries": n,
            }
        )

    day = dashboard.today()
    start, end = bulletins.period_bounds(Bulletin.Period.MONTH, day.year, day.month)

    def draft() -> Bulletin:
        figures = bulletins.bulletin_figures(Bulletin.Period.MONTH, start, end, day)
        return Bulletin(
            period=Bulletin.Period.MONTH,
            period_start=start,
            period_end=end,
            title=bulletins.default_title(figures["period"]["label"]),
            narrative=bulletins.narrative_from(figures),
            figures=figures,
            created_by=office,
        )

    with CaptureQueriesContext(connection) as queries:
        bulletin = draft()
    draft_queries = len(queries.captured_queries)
    draft_samples = timed(draft, runs=max(3, args.runs // 2), warmup=1)
    pdf_samples = timed(lambda: render_bulletin(bulletin), runs=3, warmup=1)
    rows.append(
        [
            "draft a monthly bulletin (figures + narrative)",
            "office",
            "—",
            ms(median(draft_samples)),
            ms(p95(draft_samples)),
            draft_queries,
            "—",
        ]
    )
    rows.append(
        [
            "bulletin PDF",
            "office",
            "—",
            ms(median(pdf_samples)),
            ms(p95(pdf_samples)),
            0,
            "—",
        ]
    )
    data.append(
        {
            "page": "draft",
            "median_ms": median(draft_samples),
            "queries": draft_queries,
        }
    )
    data.append({"page": "pdf", "median_ms": median(pdf_samples)})
    body = (
        f"{database_version()}; {data_size()}. In-process Django test Client, "
        f"DEBUG off, {args.runs} runs after 3 warm-up runs per page; times in ms. "
        "Every figure is a database aggregate, so the query count does not grow "
        "with the data (tests/oversight/test_views.py checks it at two sizes).\n\n"
        + table(
            [
                "page",
                "as",
                "url",
                "median",
                "p95",
                "queries",
                f"≤ {MAX_QUERIES} queries",
            ],
            rows,
        )
        + "\n"
    )
    write_section(
        "bench_dashboard_queries", "Dashboard and bulletins", body, {"pages": data}
    )


if __name__ == "__main__":
    main()
