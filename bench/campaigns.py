"""Campaign pages on the seeded database: server time and query count.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jinwei_bench .venv/bin/python bench/campaigns.py

``seed_bench`` adds 200 campaigns over ten years, reported weekly by three to
seven units (campaigns/bench_seed.py). Measured in-process with Django's test
Client as in pages.py: the busiest campaign's page (the most figures) as the
office, its organising unit and another participating unit; the campaign list
(first page, a later page, filtered by kind); the leaders' dashboard; a unit's home.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import median, ms, p95, setup_django, table, timed, verdict, write_section

MAX_QUERIES = 15


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    setup_django()
    from common import data_size, database_version
    from django.conf import settings
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import NoReverseMatch, reverse

    from campaigns.models import Campaign, Figure, UnitReport
    from members.models import User

    busiest = Campaign.objects.annotate(n=Count("reports")).order_by("-n", "pk").first()
    running = (
        Campaign.objects.filter(status=Campaign.Status.ACTIVE)
        .annotate(n=Count("reports"))
        .order_by("-n", "pk")
        .first()
    )
    organiser = User.objects.get(username=f"bench_liaison_{busiest.organiser.code}")
    other_unit = busiest.units.exclude(pk=busiest.organiser_id).first()
    participant = User.objects.get(username=f"bench_liaison_{other_unit.code}")
    users = {
        "office": User.objects.get(username="bench_office"),
        "leader": User.objects.get(username="bench_leader"),
        "organiser": organiser,
        "participant": participant,
    }
    clients = {}
    for role, user in users.items():
        client = Client()
        client.force_login(user)
        clients[role] = client

    def url(name: str, *a) -> str | None:
        try:
            return reverse(name, args=a)
        except NoReverseMatch:
            return None

    detail = url("campaigns:detail", busiest.pk)
    pages = [
        ("campaign page (busiest)", "office", detail),
        ("campaign page (busiest)", "organiser", detail),
        ("campaign page (busiest)", "participant", detail),
        ("campaign page (running)", "office", url("campaigns:detail", running.pk)),
        ("campaign list", "office", url("campaigns:list")),
        ("campaign list, page 5", "office", url("campaigns:list") + "?page=5"),
        (
            "campaign list, enforcement",
            "leader",
            url("campaigns:list") + "?kind=enforcement",
        ),
        ("campaign list", "participant", url("campaigns:list")),
        ("dashboard", "office", url("dashboard:index")),
        ("dashboard", "leader", url("dashboard:index")),
        ("dashboard, campaign figures recounted", "leader", url("dashboard:index")),
        ("unit home", "participant", url("home")),
    ]
    cache_seconds = settings.DASHBOARD_CACHE_SECONDS
    settings.DASHBOARD_CACHE_SECONDS = 0  # count the dashboard on every visit
    from django.utils import timezone

    from campaigns.figures import forget_year

    year = timezone.localdate().year
    rows, data = [], []
    for label, role, page_url in pages:
        client = clients[role]
        recount = label.endswith("recounted")

        def fetch(u=page_url, c=client, recount=recount):
            if recount:  # as after a report was filed
                forget_year(year)
            return c.get(u)

        response = client.get(page_url)
        if response.status_code != 200:
            rows.append(
                [label, role, page_url, "—", "—", "—", f"HTTP {response.status_code}"]
            )
            continue
        with CaptureQueriesContext(connection) as queries:
            fetch()
        n = len(queries.captured_queries)
        samples = timed(fetch, runs=args.runs)
        rows.append(
            [
                label,
                role,
                f"`{page_url}`",
                ms(median(samples)),
                ms(p95(samples)),
                n,
                verdict(n <= MAX_QUERIES),
            ]
        )
        data.append(
            {
                "page": label,
                "as": role,
                "url": page_url,
                "median_ms": median(samples),
                "p95_ms": p95(samples),
                "queries": n,
            }
        )
    settings.DASHBOARD_CACHE_SECONDS = cache_seconds
    size = (
        f"{Campaign.objects.count()} campaigns, {UnitReport.objects.count()} unit reports, "
        f"{Figure.objects.count()} figures"
    )
    body = (
        f"{database_version()}; {data_size()}; {size}. The busiest campaign: "
        f"{busiest.periods.count()} weekly periods, {busiest.units.count()} units, "
        f"{busiest.reports.count()} reports. In-process Django test Client, DEBUG off, "
        f"{args.runs} runs after 3 warm-up runs per page; times in ms; the dashboard "
        "counted on every visit (DASHBOARD_CACHE_SECONDS=0); its campaign figures are "
        "kept until a campaign or report changes (a minute at most), recounted on "
        "every visit in the row that says so.\n\n"
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
    write_section("campaigns", "Campaign pages", body, {"pages": data, "size": size})


if __name__ == "__main__":
    main()
