"""Load: gunicorn with 2 workers on the seeded database, 50 people for 60 s (locust).

    .venv/bin/python bench/load.py [--users 50] [--seconds 60] [--port 8105]

Binds 127.0.0.1 only. People join one per second (a login is a deliberately slow
password hash; 50 at once would measure the hash), statistics are reset when all
are in, and the next ``--seconds`` are measured. People are bench accounts: 70 % liaisons and unit heads,
20 % office staff, 10 % leaders (see bench/locustfile.py). Reports requests/s,
median and p95 per request type and in total (logins shown apart: a login is a
deliberately slow password hash), and errors. Target: p95 < 150 ms, 0 errors.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
    BENCH_DIR,
    ROOT,
    bench_env,
    setup_django,
    table,
    verdict,
    write_section,
)


def people_file(path: Path, count: int) -> None:
    from members.models import User
    from tasks.models import Task

    rng = random.Random(7)
    users = list(
        User.objects.filter(username__startswith="bench_").order_by("username")
    )
    unit_people = [u for u in users if u.is_unit_member]
    office = [u for u in users if u.role == User.Role.OFFICE]
    leaders = [u for u in users if u.role == User.Role.LEADER]
    chosen = (
        rng.sample(unit_people, min(len(unit_people), int(count * 0.7)))
        + office
        + leaders
    )
    all_open = list(Task.objects.open().values_list("pk", flat=True)[:2000])
    people = []
    for user in chosen:
        if user.is_unit_member:
            tasks = list(
                Task.objects.visible_to(user).values_list("pk", flat=True)[:300]
            )
        else:
            tasks = all_open
        people.append({"username": user.username, "role": user.role, "tasks": tasks})
    path.write_text(json.dumps(people), encoding="utf-8")


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except Exception:
            time.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer at {url}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--port", type=int, default=8105)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--threads", type=int, default=1, help="gthread worker threads (1: sync)"
    )
    parser.add_argument(
        "--think", default="1,3", help="seconds between clicks: min,max"
    )
    parser.add_argument("--name", default="load", help="results section name")
    args = parser.parse_args()
    setup_django()
    from common import data_size, database_version

    load_before = os.getloadavg()[0]
    tmp = Path(tempfile.mkdtemp(prefix="jinwei-load-"))
    people = tmp / "people.json"
    people_file(people, args.users)
    env = bench_env()
    env["BENCH_TASKS_FILE"] = str(people)
    env["BENCH_THINK"] = args.think
    # As docs/DEPLOY.md sets it up on one server: one cache for both workers.
    env.setdefault("CACHE_DIR", str(tmp / "cache"))
    think = "–".join(args.think.split(","))
    venv_bin = Path(sys.executable).parent
    gunicorn = subprocess.Popen(
        [
            str(venv_bin / "gunicorn"),
            "jinwei_ip.wsgi",
            "--workers",
            str(args.workers),
            *(
                # keep-alive longer than any think time: gthread closes idle
                # connections after 2 s, and locust's next click met a reset
                ["--threads", str(args.threads), "--keep-alive", "30"]
                if args.threads > 1
                else []
            ),
            "--bind",
            f"127.0.0.1:{args.port}",
            "--access-logfile",
            "-",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=open(tmp / "gunicorn.log", "w"),
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for(f"http://127.0.0.1:{args.port}/accounts/login/")
        prefix = tmp / "locust"
        done = subprocess.run(
            [
                str(venv_bin / "locust"),
                "-f",
                str(BENCH_DIR / "locustfile.py"),
                "--headless",
                "-u",
                str(args.users),
                "-r",
                "1",
                "--reset-stats",
                "-t",
                f"{args.users + args.seconds}s",
                "--host",
                f"http://127.0.0.1:{args.port}",
                "--csv",
                str(prefix),
                "--only-summary",
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=args.users + args.seconds + 120,
        )
        stats = list(csv.DictReader(open(f"{prefix}_stats.csv", encoding="utf-8")))
        failures = list(
            csv.DictReader(open(f"{prefix}_failures.csv", encoding="utf-8"))
        )
    finally:
        gunicorn.send_signal(signal.SIGTERM)
        try:
            gunicorn.wait(timeout=30)
        except subprocess.TimeoutExpired:
            gunicorn.kill()
    load_after = os.getloadavg()[0]
    if done.returncode not in (0, 1):
        print(done.stdout[-3000:], done.stderr[-3000:])
    rows, data = [], []
    pages_requests = pages_failures = 0
    for s in stats:
        name = s["Name"]
        n, fails = int(s["Request Count"]), int(s["Failure Count"])
        row = {
            "name": name,
            "requests": n,
            "failures": fails,
            "rps": float(s["Requests/s"]),
            "median_ms": float(s["50%"]) if s["50%"] != "N/A" else 0,
            "p95_ms": float(s["95%"]) if s["95%"] != "N/A" else 0,
        }
        data.append(row)
        if name not in ("Aggregated", "login", "login page"):
            pages_requests += n
            pages_failures += fails
        rows.append(
            [
                name,
                n,
                f"{row['rps']:.1f}",
                f"{row['median_ms']:.0f}",
                f"{row['p95_ms']:.0f}",
                fails,
            ]
        )
    # p95 over page views only (logins excluded), from locust's per-request history
    pages = [r for r in data if r["name"] not in ("Aggregated", "login", "login page")]
    worst_p95 = max((r["p95_ms"] for r in pages), default=0)
    total = next((r for r in data if r["name"] == "Aggregated"), None)
    errors = sum(r["failures"] for r in data if r["name"] != "Aggregated")
    body = (
        f"{database_version()}; {data_size()}. gunicorn, {args.workers} sync workers, "
        f"127.0.0.1:{args.port}; locust {args.users} users (one more each second, each logging in "
        f"once; statistics reset when all {args.users} are in), then {args.seconds} s measured, {think} s think time; DEBUG off, sessions in the database, one cache folder for both workers (CACHE_DIR). Load average "
        f"(1 min) {load_before:.2f} before, {load_after:.2f} after the run.\n\n"
        + table(["request", "count", "req/s", "median ms", "p95 ms", "errors"], rows)
        + f"\n\nThroughput {total['rps']:.1f} req/s overall. Worst per-page p95 "
        f"(logins excluded): {worst_p95:.0f} ms — target < 150 ms: "
        f"{verdict(worst_p95 < 150)}. Errors: {errors} — target 0: "
        f"{verdict(errors == 0)}.\n"
        if total
        else "locust produced no statistics:\n\n```\n" + done.stderr[-2000:] + "\n```\n"
    )
    if failures:
        body += "\nFailures:\n\n" + table(
            ["method", "name", "error", "occurrences"],
            [
                [f["Method"], f["Name"], f["Error"][:120], f["Occurrences"]]
                for f in failures
            ],
        )
    write_section(
        args.name,
        f"Load (gunicorn + locust, {think} s think time)",
        body,
        {"stats": data, "failures": failures, "pages_requests": pages_requests},
    )
    print(f"logs in {tmp}")


if __name__ == "__main__":
    main()
