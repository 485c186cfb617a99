"""Run the benchmarks and collect their sections into bench/RESULTS.md.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jinwei_bench .venv/bin/python bench/run_all.py
    .venv/bin/python bench/run_all.py --only pages scoped_queryset   # some of them
    .venv/bin/python bench/run_all.py --collect                      # only rebuild RESULTS.md

Needs the seeded database (``make bench-seed`` / ``bench/setup_db.py --fresh``).
Sections measured earlier stay in bench/results/ and are collected too, each with
its own date.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
    BENCH_DIR,
    RESULTS_DIR,
    bench_env,
    command_version,
    machine,
    setup_django,
)

ORDER = [
    "seed_postgresql",
    "seed_sqlite",
    "pages",
    "campaigns",
    "scoped_queryset",
    "pdf",
    "load",
    "import_plan",
]
SCRIPTS = {
    "pages": "pages.py",
    "campaigns": "campaigns.py",
    "scoped_queryset": "scoped_queryset.py",
    "pdf": "pdf.py",
    "import_plan": "import_plan.py",
    "load": "load.py",
}
# The import last: it writes and rolls back 10,000 tasks with their grants, and the
# default resource's run takes minutes, which churns PostgreSQL's buffer cache; the
# load test after it measured 2x slower pages (p95 680 against 340 ms) until the
# cache was warm again.
DEFAULT = ["pages", "campaigns", "scoped_queryset", "pdf", "load", "import_plan"]


def collect() -> Path:
    setup_django()
    from common import database_version

    m = machine()
    head = [
        "# Benchmark results",
        "",
        "Measured numbers only; each section says when it was measured. Re-run with",
        "`make bench-seed && make bench` (see bench/README.md). Findings and the code",
        "changes they call for are in bench/README.md.",
        "",
        f"- Collected: {datetime.now().astimezone().isoformat(timespec='seconds')}",
        f"- Machine: {m['cpu']}, {m['nproc']} CPUs (nproc), {m['ram']} RAM, {m['os']}",
        f"- Load average when collected: {m['load']} (other work on the machine shows up in the timings)",
        f"- Python {m['python']}; database: {database_version()}",
        f"- Client tools: {command_version(['pg_dump', '--version'])}; "
        f"{command_version(['soffice', '--version']) or 'LibreOffice not installed'}",
        "",
    ]
    sections = []
    for name in ORDER + sorted(
        p.stem for p in RESULTS_DIR.glob("*.md") if p.stem not in ORDER
    ):
        path = RESULTS_DIR / f"{name}.md"
        if path.exists():
            sections.append(path.read_text(encoding="utf-8").strip())
    out = BENCH_DIR / "RESULTS.md"
    out.write_text(
        "\n".join(head) + "\n" + "\n\n".join(sections) + "\n", encoding="utf-8"
    )
    return out


def vacuum() -> None:
    """The import benchmark inserts 10,000 tasks (and their grants, events and
    history) and rolls them back: PostgreSQL keeps the dead rows until a vacuum,
    and every later benchmark would read through them (task counts were ~10×
    slower on a bloated table). Clean up before measuring anything else; a plain
    VACUUM also sets the visibility map, which index-only scans need, as
    autovacuum does on a live database."""
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; sys.path.insert(0, 'bench'); from common import setup_django;"
            " setup_django(); from django.db import connection;"
            " connection.vendor == 'postgresql' and"
            " connection.cursor().execute('VACUUM (ANALYZE)')",
        ],
        cwd=BENCH_DIR.parent,
        env=bench_env(),
        check=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", nargs="*", choices=list(SCRIPTS))
    parser.add_argument("--collect", action="store_true")
    args = parser.parse_args()
    if not args.collect:
        failed = []
        for name in args.only or DEFAULT:
            print(f"--- {name}", flush=True)
            done = subprocess.run(
                [sys.executable, str(BENCH_DIR / SCRIPTS[name])], env=bench_env()
            )
            if done.returncode:
                failed.append(name)
            if name == "import_plan":
                vacuum()
        if failed:
            print(f"failed: {', '.join(failed)}", file=sys.stderr)
    print(f"Results collected in {collect()}")


if __name__ == "__main__":
    main()
