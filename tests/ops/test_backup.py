"""Backup and restore round trip (scripts/backup.py, ``make backup`` / ``make restore``).

SQLite always; PostgreSQL as well when the suite runs on it (pg_dump/pg_restore).
Each test works on its own scratch database, never on the test database.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.test import SimpleTestCase

from scripts import backup as bk

ROOT = Path(settings.BASE_DIR)


def rows(path: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(path) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name"
            )
        ]
        return {
            t: conn.execute(f'SELECT * FROM "{t}" ORDER BY 1').fetchall()
            for t in tables
        }


class SQLiteRoundTripTests(SimpleTestCase):
    def setUp(self) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="jinwei-backup-"))
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)
        self.db_path = self.tmp / "portal.sqlite3"
        self.db = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(self.db_path)}
        self.media = self.tmp / "media"
        (self.media / "evidence" / "7").mkdir(parents=True)
        self.evidence = self.media / "evidence" / "7" / "a1b2c3"
        self.evidence.write_bytes("会议纪要扫描件".encode() + bytes(range(256)))
        with sqlite3.connect(self.db_path) as conn:
            conn.execute("CREATE TABLE unit (id INTEGER PRIMARY KEY, name TEXT)")
            conn.execute(
                "CREATE TABLE task (id INTEGER PRIMARY KEY, unit_id INTEGER "
                "REFERENCES unit(id), title TEXT, progress INTEGER)"
            )
            conn.executemany(
                "INSERT INTO unit VALUES (?, ?)", [(1, "区司法局"), (2, "区财政局")]
            )
            conn.executemany(
                "INSERT INTO task VALUES (?, ?, ?, ?)",
                [(n, 1 + n % 2, f"任务{n}", n % 100) for n in range(1, 501)],
            )

    def test_backup_change_restore_gives_back_every_row_and_file(self) -> None:
        before = rows(self.db_path)
        folder = bk.backup(db=self.db, media_root=self.media, dest=self.tmp / "bk")
        manifest = bk.verify(folder)
        self.assertEqual(manifest["engine"], "sqlite")
        self.assertEqual(manifest["tables"], {"task": 500, "unit": 2})
        # Damage: delete and change rows, lose one file, add a stray one.
        with sqlite3.connect(self.db_path) as conn:
            conn.execute("DELETE FROM task WHERE id > 100")
            conn.execute("UPDATE unit SET name = '改错了' WHERE id = 1")
        self.evidence.unlink()
        (self.media / "stray.txt").write_text("x")
        self.assertNotEqual(rows(self.db_path), before)

        bk.restore(db=self.db, media_root=self.media, folder=folder)

        self.assertEqual(rows(self.db_path), before)
        self.assertEqual(
            self.evidence.read_bytes(),
            "会议纪要扫描件".encode() + bytes(range(256)),
        )
        self.assertFalse((self.media / "stray.txt").exists())

    def test_restore_keeps_a_safety_backup_of_the_current_state(self) -> None:
        folder = bk.backup(db=self.db, media_root=self.media, dest=self.tmp / "bk")
        with sqlite3.connect(self.db_path) as conn:
            conn.execute("DELETE FROM task")
        bk.restore(
            db=self.db,
            media_root=self.media,
            folder=folder,
            safety_dest=self.tmp / "bk",
        )
        safety = [p for p in (self.tmp / "bk").iterdir() if p.name.startswith("pre-")]
        self.assertEqual(len(safety), 1)
        self.assertEqual(bk.verify(safety[0])["tables"]["task"], 0)

    def test_damaged_backup_is_refused(self) -> None:
        folder = bk.backup(db=self.db, media_root=self.media, dest=self.tmp / "bk")
        with (folder / bk.MEDIA_FILE).open("ab") as f:
            f.write(b"garbage")
        with self.assertRaisesMessage(bk.BackupError, "damaged"):
            bk.restore(db=self.db, media_root=self.media, folder=folder)
        self.assertTrue(self.evidence.exists())

    def test_archive_with_path_traversal_is_refused(self) -> None:
        import tarfile

        folder = bk.backup(db=self.db, media_root=self.media, dest=self.tmp / "bk")
        evil = self.tmp / "evil.txt"
        evil.write_text("x")
        with tarfile.open(folder / bk.MEDIA_FILE, "w:gz") as tar:
            tar.add(evil, arcname="../../escaped.txt")
        with self.assertRaisesMessage(bk.BackupError, "unsafe path"):
            bk.restore_media(self.media, folder)
        self.assertFalse((self.tmp.parent / "escaped.txt").exists())

    def test_command_line_as_make_backup_and_make_restore_run_it(self) -> None:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{self.db_path}",
            "MEDIA_ROOT": str(self.media),
            "BACKUP_DIR": str(self.tmp / "cli"),
            "JINWEI_TESTING": "1",
        }
        script = str(ROOT / "scripts" / "backup.py")
        done = subprocess.run(
            [sys.executable, script, "backup"], env=env, capture_output=True, text=True
        )
        self.assertEqual(done.returncode, 0, done.stderr)
        (folder,) = list((self.tmp / "cli").iterdir())
        self.assertIn(str(folder), done.stdout)
        with sqlite3.connect(self.db_path) as conn:
            conn.execute("DELETE FROM task")
        done = subprocess.run(
            [sys.executable, script, "restore", str(folder), "--yes"],
            env=env,
            capture_output=True,
            text=True,
        )
        self.assertEqual(done.returncode, 0, done.stderr)
        with sqlite3.connect(self.db_path) as conn:
            self.assertEqual(
                conn.execute("SELECT COUNT(*) FROM task").fetchone()[0], 500
            )
        done = subprocess.run(
            [sys.executable, script, "restore", str(self.tmp), "--yes"],
            env=env,
            capture_output=True,
            text=True,
        )
        self.assertEqual(done.returncode, 2)
        self.assertIn("not a backup", done.stderr)


class PostgresRoundTripTests(SimpleTestCase):
    """On PostgreSQL: pg_dump -Fc, change, pg_restore --clean, compare."""

    def setUp(self) -> None:
        if connection.vendor != "postgresql":
            self.skipTest("the suite runs on SQLite")
        if not shutil.which("pg_dump") and not os.environ.get("PG_BIN"):
            self.skipTest("PostgreSQL client tools are not installed")
        self.tmp = Path(tempfile.mkdtemp(prefix="jinwei-backup-"))
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)
        base = dict(connection.settings_dict)
        self.db = {**base, "NAME": f"jinwei_backup_rt_{uuid.uuid4().hex[:8]}"}
        maintenance = {**base, "NAME": "postgres"}
        self.psql(maintenance, f'CREATE DATABASE "{self.db["NAME"]}"')
        self.addCleanup(
            self.psql,
            maintenance,
            f'DROP DATABASE IF EXISTS "{self.db["NAME"]}" WITH (FORCE)',
        )
        self.psql(
            self.db,
            "CREATE TABLE unit (id int PRIMARY KEY, name text);"
            "CREATE TABLE task (id int PRIMARY KEY, unit_id int REFERENCES unit(id),"
            " title text, progress int);"
            "INSERT INTO unit VALUES (1, '区司法局'), (2, '区财政局');"
            "INSERT INTO task SELECT n, 1 + n % 2, '任务' || n, n % 100"
            " FROM generate_series(1, 500) n;",
        )
        self.media = self.tmp / "media"
        self.media.mkdir()
        (self.media / "file.bin").write_bytes(b"evidence")

    def psql(self, db: dict, sql: str) -> str:
        args, env = bk._pg_args(db)
        return bk._run(
            [bk._pg_tool("psql"), *args, "-d", db["NAME"], "-Atc", sql],
            env,
        )

    def dump(self) -> str:
        return self.psql(
            self.db,
            "SELECT string_agg(t::text, ';' ORDER BY t.id) FROM task t "
            "UNION ALL SELECT string_agg(u::text, ';' ORDER BY u.id) FROM unit u",
        )

    def test_round_trip(self) -> None:
        before = self.dump()
        folder = bk.backup(db=self.db, media_root=self.media, dest=self.tmp / "bk")
        self.assertTrue((folder / bk.DB_FILE_PG).exists())
        self.assertEqual(bk.verify(folder)["tables"], {"task": 500, "unit": 2})
        self.psql(
            self.db,
            "DELETE FROM task WHERE id > 10; UPDATE unit SET name = 'x';",
        )
        (self.media / "file.bin").unlink()
        self.assertNotEqual(self.dump(), before)
        bk.restore(db=self.db, media_root=self.media, folder=folder)
        self.assertEqual(self.dump(), before)
        self.assertEqual((self.media / "file.bin").read_bytes(), b"evidence")
