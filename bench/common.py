"""Shared helpers of the benchmarks: Django set-up, timing, machine facts, results.

Every bench script is plain Python (``.venv/bin/python bench/<name>.py``). It runs
against ``DATABASE_URL`` (default: the PostgreSQL database ``jinwei_bench`` filled
by ``bench/setup_db.py``), with production-like settings (DEBUG off, cached
templates), and writes its section of results to ``bench/results/<name>.md`` (and
the raw numbers to ``<name>.json``); ``bench/run_all.py`` collects the sections
into ``bench/RESULTS.md``.
"""

from __future__ import annotations

import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
RESULTS_DIR = BENCH_DIR / "results"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/jinwei_bench"
BENCH_PASSWORD = "jinwei-bench-2026"

# Production-like settings for an in-process run (no TLS here, so no SSL redirect).
BENCH_ENV = {
    "DATABASE_URL": DEFAULT_DATABASE_URL,
    "DEBUG": "0",
    "JINWEI_BENCH": "1",  # installs the bench app (seed_bench)
    "SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "SECURE_COOKIES": "0",
    "SECURE_SSL_REDIRECT": "0",
    "STATIC_MANIFEST": "0",
    "WHITENOISE_USE_FINDERS": "1",
    "CONN_MAX_AGE": "60",
}


def bench_env() -> dict[str, str]:
    env = dict(os.environ)
    for key, value in BENCH_ENV.items():
        env.setdefault(key, value)
    env.pop("JINWEI_TESTING", None)
    return env


def setup_django() -> None:
    for key, value in bench_env().items():
        os.environ.setdefault(key, value)
    os.environ.pop("JINWEI_TESTING", None)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jinwei_ip.settings")
    import django

    django.setup()
    from django.conf import settings

    # Benchmarks measure the work, not the limits that protect it.
    settings.RATELIMIT_ENABLE = False


def timed(fn: Callable[[], Any], runs: int, warmup: int = 3) -> list[float]:
    """Milliseconds of ``runs`` calls of fn after ``warmup`` calls."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    if len(ordered) == 1:
        return ordered[0]
    return statistics.quantiles(ordered, n=20, method="inclusive")[18]


def ms(value: float) -> str:
    return f"{value:.1f}" if value < 100 else f"{value:.0f}"


def machine() -> dict[str, str]:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = ""
    try:
        m = re.search(r"MemTotal:\s+(\d+) kB", Path("/proc/meminfo").read_text())
        if m:
            ram = f"{int(m.group(1)) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return {
        "cpu": cpu,
        "nproc": str(os.cpu_count()),
        "ram": ram,
        "os": f"{platform.system()} {platform.release()}",
        "python": f"{platform.python_version()} ({sys.base_prefix}/bin/python3)",
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def database_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0]}"
        cursor.execute("select sqlite_version()")
        return f"SQLite {cursor.fetchone()[0]}"


def data_size() -> str:
    from meetings.models import Meeting
    from members.models import User
    from tasks.models import ProgressReport, Task

    return (
        f"{Meeting.objects.count()} meetings, {Task.objects.count()} tasks, "
        f"{ProgressReport.objects.count()} progress reports, "
        f"{User.objects.count()} accounts"
    )


def command_version(cmd: list[str]) -> str:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return (
        (out.stdout or out.stderr).strip().splitlines()[0]
        if out.returncode == 0
        else ""
    )


def write_section(name: str, title: str, body: str, data: dict[str, Any]) -> Path:
    """Write ``bench/results/<name>.md`` and ``.json``; return the markdown path."""
    RESULTS_DIR.mkdir(exist_ok=True)
    stamp = datetime.now().astimezone().isoformat(timespec="seconds")
    md = RESULTS_DIR / f"{name}.md"
    md.write_text(
        f"## {title}\n\n_Measured {stamp}._\n\n{body.strip()}\n", encoding="utf-8"
    )
    (RESULTS_DIR / f"{name}.json").write_text(
        json.dumps(
            {"measured": stamp, **data}, ensure_ascii=False, indent=2, default=str
        ),
        encoding="utf-8",
    )
    print(md.read_text(encoding="utf-8"))
    return md


def table(headers: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"
