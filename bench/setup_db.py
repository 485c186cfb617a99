"""Create the benchmark database and fill it: ``python bench/setup_db.py --fresh``.

Drops and re-creates the PostgreSQL database named in DATABASE_URL (default
``jinwei_bench``; it refuses any other name unless --any-name), migrates, and runs
``manage.py seed_bench``. Also records how long seeding took.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, bench_env, setup_django, table, write_section


def recreate_postgres(url: str, any_name: bool) -> None:
    import dj_database_url
    import psycopg

    db = dj_database_url.parse(url)
    name = db["NAME"]
    if not any_name and "bench" not in name:
        raise SystemExit(f"Refusing to drop {name!r}: its name has no 'bench' in it.")
    conninfo = {
        "host": db.get("HOST") or None,
        "port": db.get("PORT") or None,
        "user": db.get("USER") or None,
        "password": db.get("PASSWORD") or None,
        "dbname": "postgres",
    }
    with psycopg.connect(
        **{k: v for k, v in conninfo.items() if v}, autocommit=True
    ) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        c.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--fresh", action="store_true", help="drop and re-create first")
    parser.add_argument("--any-name", action="store_true")
    parser.add_argument("seed_args", nargs="*", help="extra arguments for seed_bench")
    args = parser.parse_args()
    env = bench_env()
    url = env["DATABASE_URL"]
    if args.fresh and url.startswith("postgres"):
        recreate_postgres(url, args.any_name)
    elif args.fresh and url.startswith("sqlite"):
        path = Path(url.split("sqlite:///", 1)[1])
        path.unlink(missing_ok=True)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--no-input", "-v0"], env=env, check=True)
    start = time.perf_counter()
    subprocess.run([*manage, "seed_bench", "-v2", *args.seed_args], env=env, check=True)
    seconds = time.perf_counter() - start
    for key, value in env.items():
        os.environ.setdefault(key, value)
    setup_django()
    from common import data_size, database_version

    size = data_size()
    body = table(
        ["database", "data", "seed_bench time", "target"],
        [[database_version(), size, f"{seconds:.1f} s", "< 120 s"]],
    )
    write_section(
        f"seed_{'postgresql' if url.startswith('postgres') else 'sqlite'}",
        "seed_bench",
        body,
        {"seconds": seconds, "data": size, "database": database_version()},
    )


if __name__ == "__main__":
    main()
