"""Page cost on the seeded database: server time and query count per page.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jinwei_bench .venv/bin/python bench/pages.py

Each page is fetched in-process with Django's test Client (the whole middleware
stack, view and template; no network), ``--runs`` times after a warm-up, as the
person who uses it: office staff, a leader, a liaison. Side by side: the Django
admin changelist of Task on the same data. A page whose URL name does not exist
yet is listed as "not available".
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
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    setup_django()
    from common import data_size, database_version
    from django.contrib import admin
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import NoReverseMatch, reverse

    from meetings.models import Meeting
    from members.models import User
    from tasks.models import Task

    office = User.objects.get(username="bench_office")
    leader = User.objects.get(username="bench_leader")
    liaison = User.objects.get(username="bench_liaison_sfj")
    clients = {}
    for user in (office, leader, liaison):
        client = Client()
        client.force_login(user)
        clients[user.username] = client

    # A typical busy task of the liaison's unit, and the latest meeting with minutes.
    task = (
        Task.objects.filter(lead_unit=liaison.unit)
        .annotate(n=Count("reports"))
        .order_by("-n", "pk")
        .first()
    )
    meeting = (
        Meeting.objects.filter(minutes__status="issued").order_by("-starts_at").first()
    )

    def url(name: str, *args) -> str | None:
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            return None

    admin_registered = Task in admin.site._registry
    pages = [
        # counted on every request (as when its minute in the cache is over) ...
        ("dashboard", "office", url("dashboard:index")),
        ("dashboard", "leader", url("dashboard:index")),
        # ... and within the minute (settings.DASHBOARD_CACHE_SECONDS)
        ("dashboard, from the cache", "leader", url("dashboard:index")),
        ("task list", "office", url("tasks:list")),
        ("task list", "liaison", url("tasks:list")),
        ("task list, open, page 20", "office", (url("tasks:list") or "") + "?page=20"),
        ("unit inbox (home)", "liaison", url("home")),
        ("office home", "office", url("home")),
        ("meeting page", "office", meeting and url("meetings:detail", meeting.pk)),
        ("meeting list", "office", url("meetings:list")),
        ("task page", "office", task and url("tasks:detail", task.pk)),
        ("task page", "liaison", task and url("tasks:detail", task.pk)),
        (
            "admin changelist of Task",
            "office",
            url("admin:tasks_task_changelist") if admin_registered else None,
        ),
    ]
    who = {"office": office, "leader": leader, "liaison": liaison}
    rows, data = [], []
    from django.conf import settings

    cache_seconds = settings.DASHBOARD_CACHE_SECONDS
    for label, role, page_url in pages:
        settings.DASHBOARD_CACHE_SECONDS = (
            cache_seconds if label.endswith("from the cache") else 0
        )
        if not page_url or page_url.startswith("?"):
            rows.append([label, role, "—", "—", "—", "—", "not available yet"])
            continue
        client = clients[who[role].username]
        response = client.get(page_url)
        if response.status_code != 200:
            rows.append(
                [label, role, page_url, "—", "—", "—", f"HTTP {response.status_code}"]
            )
            continue
        with CaptureQueriesContext(connection) as queries:
            client.get(page_url)
        n = len(queries.captured_queries)
        samples = timed(lambda u=page_url, c=client: c.get(u), runs=args.runs)
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
                "bytes": len(response.content),
            }
        )

    by = {(d["page"], d["as"]): d for d in data}
    compare = ""
    admin_row = by.get(("admin changelist of Task", "office"))
    list_row = by.get(("task list", "office"))
    if admin_row and list_row:
        ratio = list_row["median_ms"] / admin_row["median_ms"]
        compare = (
            f"\nTask list (office) vs admin changelist: {ms(list_row['median_ms'])} ms "
            f"vs {ms(admin_row['median_ms'])} ms median (×{ratio:.2f}) — target "
            f"“no slower than the admin changelist”: {verdict(ratio <= 1.0)}.\n"
        )
    body = (
        f"{database_version()}; {data_size()}. In-process Django test Client, "
        f"DEBUG off, {args.runs} runs after 3 warm-up runs per page; times in ms.\n\n"
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
        + compare
    )
    write_section("pages", "Page cost", body, {"pages": data})


if __name__ == "__main__":
    main()
