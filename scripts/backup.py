#!/usr/bin/env python
"""Back up and restore the portal: the database and the uploaded files (MEDIA_ROOT).

    python scripts/backup.py backup [--dest DIR]          # make backup
    python scripts/backup.py restore PATH [--yes]          # make restore BACKUP=PATH
    python scripts/backup.py verify PATH

A backup is one folder ``<BACKUP_DIR>/<YYYYmmdd-HHMMSS>/`` holding

- ``database.dump``     PostgreSQL, ``pg_dump -Fc`` (custom format, compressed), or
  ``database.sqlite3``  SQLite, a consistent copy made with SQLite's online backup API
  (safe while the portal is running, unlike ``cp``);
- ``media.tar.gz``      every file under MEDIA_ROOT (evidence attachments);
- ``manifest.json``     when, what, row counts per table and SHA-256 of each file.

``restore`` checks the SHA-256 sums, first saves the current state as a backup of its
own (``pre-restore-…``, unless ``--no-safety-backup``), then replaces the database
(``pg_restore --clean --if-exists``, or SQLite's backup API in the other direction) and
the contents of MEDIA_ROOT. Stop the app servers first (``systemctl stop jinwei-ip``).

The database and media location come from the portal's settings (DATABASE_URL,
MEDIA_ROOT); BACKUP_DIR defaults to ``var/backups``. PostgreSQL client tools are
found on PATH or in ``PG_BIN`` (e.g. /usr/lib/postgresql/15/bin); their major version
must not be older than the server's.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tarfile
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent
DB_FILE_PG = "database.dump"
DB_FILE_SQLITE = "database.sqlite3"
MEDIA_FILE = "media.tar.gz"
MANIFEST = "manifest.json"


class BackupError(RuntimeError):
    pass


# --- helpers -------------------------------------------------------------------


def _engine(db: Mapping[str, Any]) -> str:
    engine = db["ENGINE"]
    if "sqlite" in engine:
        return "sqlite"
    if "postgresql" in engine:
        return "postgresql"
    raise BackupError(f"Unsupported database engine {engine}")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _pg_tool(name: str) -> str:
    pg_bin = os.environ.get("PG_BIN")
    if pg_bin:
        return str(Path(pg_bin) / name)
    found = shutil.which(name)
    if not found:
        raise BackupError(
            f"{name} not found. Install the PostgreSQL client "
            "(Debian: apt-get install postgresql-client-15) or set PG_BIN."
        )
    return found


def _pg_args(db: Mapping[str, Any]) -> tuple[list[str], dict[str, str]]:
    args = []
    if db.get("HOST"):
        args += ["-h", str(db["HOST"])]
    if db.get("PORT"):
        args += ["-p", str(db["PORT"])]
    if db.get("USER"):
        args += ["-U", str(db["USER"])]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _run(cmd: list[str], env: Mapping[str, str] | None = None) -> str:
    # Fixed client tools with arguments from settings, never from a request.
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(
            f"{Path(cmd[0]).name} failed ({done.returncode}): {done.stderr.strip()}"
        )
    return done.stdout


def _pg_major(tool: str) -> int:
    out = _run([tool, "--version"])
    m = re.search(r"(\d+)(?:\.\d+)?", out)
    return int(m.group(1)) if m else 0


def _pg_server_major(db: Mapping[str, Any]) -> int:
    args, env = _pg_args(db)
    out = _run(
        [
            _pg_tool("psql"),
            *args,
            "-d",
            str(db["NAME"]),
            "-Atc",
            "SHOW server_version_num",
        ],
        env,
    )
    return int(out.strip()) // 10000


def _check_pg_versions(db: Mapping[str, Any], tool: str) -> None:
    client, server = _pg_major(_pg_tool(tool)), _pg_server_major(db)
    if client < server:
        raise BackupError(
            f"{tool} is version {client} but the server is {server}: install "
            f"postgresql-client-{server} or point PG_BIN at its bin directory."
        )


def table_counts(db: Mapping[str, Any]) -> dict[str, int]:
    """Rows per table, for the manifest and for checking a restore."""
    if _engine(db) == "sqlite":
        with sqlite3.connect(str(db["NAME"])) as conn:
            names = [
                r[0]
                for r in conn.execute(
                    "SELECT name FROM sqlite_master WHERE type='table' "
                    "AND name NOT LIKE 'sqlite_%' ORDER BY name"
                )
            ]
            return {
                # names come from sqlite_master, quoted as identifiers
                n: conn.execute(f'SELECT COUNT(*) FROM "{n}"').fetchone()[0]  # noqa: S608
                for n in names
            }
    args, env = _pg_args(db)
    sql = (
        "SELECT string_agg(format('%s\t%s', table_name, "
        "(xpath('/row/c/text()', query_to_xml(format('select count(*) as c from %I.%I', "
        "table_schema, table_name), false, true, '')))[1]::text), E'\\n' ORDER BY table_name) "
        "FROM information_schema.tables WHERE table_schema = 'public' "
        "AND table_type = 'BASE TABLE'"
    )
    out = _run([_pg_tool("psql"), *args, "-d", str(db["NAME"]), "-Atc", sql], env)
    counts = {}
    for line in out.splitlines():
        if "\t" in line:
            name, count = line.split("\t", 1)
            counts[name] = int(count)
    return counts


# --- backup --------------------------------------------------------------------


def backup_database(db: Mapping[str, Any], folder: Path) -> Path:
    if _engine(db) == "sqlite":
        source_path = Path(str(db["NAME"]))
        if not source_path.exists():
            raise BackupError(f"SQLite database {source_path} does not exist")
        target = folder / DB_FILE_SQLITE
        source = sqlite3.connect(str(source_path))
        dest = sqlite3.connect(str(target))
        try:
            with dest:
                source.backup(dest)  # consistent even while the portal writes
        finally:
            dest.close()
            source.close()
        return target
    _check_pg_versions(db, "pg_dump")
    target = folder / DB_FILE_PG
    args, env = _pg_args(db)
    _run(
        [
            _pg_tool("pg_dump"),
            *args,
            "-Fc",
            "--no-owner",
            "--no-privileges",
            "-f",
            str(target),
            str(db["NAME"]),
        ],
        env,
    )
    return target


def backup_media(media_root: Path, folder: Path) -> Path:
    target = folder / MEDIA_FILE
    with tarfile.open(target, "w:gz") as tar:
        if media_root.exists():
            for path in sorted(media_root.rglob("*")):
                tar.add(
                    path, arcname=str(path.relative_to(media_root)), recursive=False
                )
    return target


def backup(
    *, db: Mapping[str, Any], media_root: Path, dest: Path, label: str = ""
) -> Path:
    """Write one backup folder under ``dest`` and return its path."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    folder = dest / f"{label}{stamp}"
    n = 1
    while folder.exists():
        n += 1
        folder = dest / f"{label}{stamp}-{n}"
    folder.mkdir(parents=True)
    try:
        files = [backup_database(db, folder), backup_media(Path(media_root), folder)]
        manifest = {
            "created": datetime.now().astimezone().isoformat(timespec="seconds"),
            "engine": _engine(db),
            "database": str(db["NAME"]),
            "media_root": str(media_root),
            "tables": table_counts(db),
            "files": {f.name: _sha256(f) for f in files},
        }
        (folder / MANIFEST).write_text(
            json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8"
        )
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return folder


# --- restore -------------------------------------------------------------------


def verify(folder: Path) -> dict[str, Any]:
    manifest_path = folder / MANIFEST
    if not manifest_path.exists():
        raise BackupError(f"{folder} is not a backup: {MANIFEST} is missing")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    for name, digest in manifest["files"].items():
        path = folder / name
        if not path.exists():
            raise BackupError(f"{path} is missing")
        if _sha256(path) != digest:
            raise BackupError(f"{path} is damaged (SHA-256 does not match)")
    return manifest


def restore_database(db: Mapping[str, Any], folder: Path, manifest: dict) -> None:
    engine = _engine(db)
    if engine != manifest["engine"]:
        raise BackupError(
            f"The backup is of a {manifest['engine']} database; the portal uses {engine}."
        )
    if engine == "sqlite":
        target_path = Path(str(db["NAME"]))
        target_path.parent.mkdir(parents=True, exist_ok=True)
        source = sqlite3.connect(str(folder / DB_FILE_SQLITE))
        dest = sqlite3.connect(str(target_path), timeout=30)
        try:
            with dest:
                source.backup(dest)
        finally:
            dest.close()
            source.close()
        return
    _check_pg_versions(db, "pg_restore")
    args, env = _pg_args(db)
    _run(
        [
            _pg_tool("pg_restore"),
            *args,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            "-d",
            str(db["NAME"]),
            str(folder / DB_FILE_PG),
        ],
        env,
    )


def _safe_members(tar: tarfile.TarFile) -> list[tarfile.TarInfo]:
    members = []
    for member in tar.getmembers():
        name = Path(member.name)
        if name.is_absolute() or ".." in name.parts:
            raise BackupError(f"Refusing unsafe path in media archive: {member.name}")
        if not (member.isfile() or member.isdir()):
            raise BackupError(
                f"Refusing link or device in media archive: {member.name}"
            )
        members.append(member)
    return members


def restore_media(media_root: Path, folder: Path) -> None:
    """Make MEDIA_ROOT hold exactly the archived files (the folder itself is kept,
    it may be a mount point)."""
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(folder / MEDIA_FILE, "r:gz") as tar:
        members = _safe_members(tar)
        for child in media_root.iterdir():
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
        # Members were checked above (plain files and folders, no absolute or
        # ".." paths); where Python has it (3.11.4+; Debian 12 ships 3.11.2), the
        # "data" filter also refuses anything else odd.
        if hasattr(tarfile, "data_filter"):
            tar.extractall(media_root, members=members, filter="data")
        else:
            tar.extractall(media_root, members=members)  # noqa: S202 checked above


def restore(
    *,
    db: Mapping[str, Any],
    media_root: Path,
    folder: Path,
    safety_dest: Path | None = None,
) -> dict[str, Any]:
    """Replace the database and media with the backup in ``folder``.

    With ``safety_dest``, the current state is backed up there first."""
    manifest = verify(folder)
    if safety_dest is not None:
        backup(db=db, media_root=media_root, dest=safety_dest, label="pre-restore-")
    restore_database(db, folder, manifest)
    restore_media(Path(media_root), folder)
    return manifest


# --- command line ----------------------------------------------------------------


def _django_config() -> tuple[dict[str, Any], Path, Path]:
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jinwei_ip.settings")
    import django
    from django.conf import settings

    django.setup()
    db = settings.DATABASES["default"]
    dest = Path(
        os.environ.get("BACKUP_DIR")
        or getattr(settings, "BACKUP_DIR", None)
        or Path(settings.BASE_DIR) / "var" / "backups"
    )
    return db, Path(settings.MEDIA_ROOT), dest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("backup", help="back up the database and media")
    b.add_argument("--dest", type=Path, help="folder for backups (BACKUP_DIR)")
    r = sub.add_parser("restore", help="restore a backup folder")
    r.add_argument("path", type=Path)
    r.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    r.add_argument("--no-safety-backup", action="store_true")
    v = sub.add_parser("verify", help="check a backup's files against its manifest")
    v.add_argument("path", type=Path)
    args = parser.parse_args(argv)
    try:
        db, media_root, dest = _django_config()
        if args.command == "backup":
            folder = backup(db=db, media_root=media_root, dest=args.dest or dest)
            manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
            rows = sum(manifest["tables"].values())
            print(
                f"Backup written to {folder} ({rows} rows, {len(manifest['files'])} files)"
            )
        elif args.command == "verify":
            manifest = verify(args.path)
            print(f"{args.path}: OK ({manifest['engine']}, {manifest['created']})")
        else:
            if not args.yes:
                answer = input(
                    f"Replace database {db['NAME']} and {media_root} with {args.path}? [y/N] "
                )
                if answer.strip().lower() not in {"y", "yes"}:
                    print("Cancelled.")
                    return 1
            manifest = restore(
                db=db,
                media_root=media_root,
                folder=args.path,
                safety_dest=None if args.no_safety_backup else dest,
            )
            print(f"Restored {args.path} (taken {manifest['created']}).")
    except BackupError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
