"""``check --deploy`` is clean with production settings; the cache settings."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.test import SimpleTestCase, override_settings

ROOT = Path(settings.BASE_DIR)
SECRET = "deploy-check-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJ-kl!"

PRODUCTION = {
    "DEBUG": False,
    "SECRET_KEY": SECRET,
    "ALLOWED_HOSTS": ["ip.jintai.gov.cn"],
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
    "SECURE_SSL_REDIRECT": True,
    "SECURE_HSTS_SECONDS": 31536000,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
    "SECURE_HSTS_PRELOAD": True,
    "SECURITY_DEMO_EXEMPT": False,
}


class DeployCheckTests(SimpleTestCase):
    @override_settings(**PRODUCTION)
    def test_check_deploy_clean_in_process(self) -> None:
        out = StringIO()
        call_command("check", deploy=True, fail_level="WARNING", stdout=out, stderr=out)
        self.assertIn("no issues", out.getvalue())

    def test_settings_module_with_production_environment(self) -> None:
        """The real settings.py, evaluated with a production environment (as on the
        server), passes ``check --deploy`` and turns every protection on."""
        env = {
            k: v
            for k, v in os.environ.items()
            if k
            not in {
                "JINWEI_TESTING",
                "DEBUG",
                "SECURE_COOKIES",
                "DJANGO_SETTINGS_MODULE",
            }
        }
        env.update(
            SECRET_KEY=SECRET,
            ALLOWED_HOSTS="ip.jintai.gov.cn",
            DEBUG="0",
            BEHIND_PROXY="1",
        )
        manage = str(ROOT / "manage.py")
        done = subprocess.run(
            [sys.executable, manage, "check", "--deploy", "--fail-level", "WARNING"],
            env=env,
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
        code = (
            "from django.conf import settings as s;"
            "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT,"
            " s.SECURE_HSTS_SECONDS >= 31536000, s.SESSION_COOKIE_HTTPONLY,"
            " s.SECURE_PROXY_SSL_HEADER == ('HTTP_X_FORWARDED_PROTO', 'https'),"
            " s.X_FRAME_OPTIONS == 'DENY', s.DEBUG)"
        )
        done = subprocess.run(
            [sys.executable, manage, "shell", "-c", code],
            env=env,
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(done.stdout.split()[-8:], ["True"] * 7 + ["False"])

    def manage_in_bare_shell(self, *args: str, **extra_env: str):
        """manage.py in a shell without the suite's DEBUG, SECRET_KEY and
        JINWEI_TESTING (plus ``extra_env``)."""
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in {"JINWEI_TESTING", "DEBUG", "SECRET_KEY"}
        }
        return subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), *args],
            env={**env, **extra_env},
            capture_output=True,
            text=True,
            cwd=ROOT,
        )

    def test_no_secret_key_no_start(self) -> None:
        done = self.manage_in_bare_shell("check", DEBUG="0")
        self.assertNotEqual(done.returncode, 0)
        self.assertIn("SECRET_KEY must be set", done.stderr)

    def test_a_developer_shell_runs_manage_py_in_debug_mode(self) -> None:
        done = self.manage_in_bare_shell(
            "shell", "-c", "from django.conf import settings; print(settings.DEBUG)"
        )
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(done.stdout.split()[-1], "True")


class CacheSettingsTests(SimpleTestCase):
    """CACHE_URL: Redis for several servers; CACHE_DIR: one folder the workers of
    one server share; neither: memory of each process (a demo)."""

    def settings_in_a_shell(self, **extra_env: str) -> subprocess.CompletedProcess:
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in {"JINWEI_TESTING", "CACHE_URL", "CACHE_DIR"}
        }
        code = (
            "from django.conf import settings as s; from django.core.cache import cache;"
            "print(s.CACHES['default']['BACKEND']); cache.set('k', 41);"
            "print(cache.incr('k'))"
        )
        return subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), "shell", "-c", code],
            env={**env, "DEBUG": "1", **extra_env},
            capture_output=True,
            text=True,
            cwd=ROOT,
        )

    def test_cache_dir_is_one_cache_for_every_process(self) -> None:
        folder = tempfile.mkdtemp(prefix="jinwei-cache-")
        self.addCleanup(shutil.rmtree, folder, True)
        first = self.settings_in_a_shell(CACHE_DIR=folder)
        self.assertEqual(first.returncode, 0, first.stderr)
        self.assertEqual(
            first.stdout.split()[-2:],
            ["django.core.cache.backends.filebased.FileBasedCache", "42"],
        )
        # Another process (another gunicorn worker) reads what the first wrote.
        code = "from django.core.cache import cache; print(cache.get('k'))"
        env = {k: v for k, v in os.environ.items() if k != "JINWEI_TESTING"}
        second = subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), "shell", "-c", code],
            env={**env, "DEBUG": "1", "CACHE_DIR": folder},
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        self.assertEqual(second.stdout.split()[-1], "42", second.stderr)

    def test_without_either_each_process_has_its_own(self) -> None:
        done = self.settings_in_a_shell()
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertIn("LocMemCache", done.stdout)

    def test_check_deploy_refuses_a_folder_it_cannot_write(self) -> None:
        folder = tempfile.mkdtemp(prefix="jinwei-cache-")
        self.addCleanup(shutil.rmtree, folder, True)
        blocker = Path(folder) / "not-a-folder"
        blocker.write_text("x")
        env = {k: v for k, v in os.environ.items() if k != "JINWEI_TESTING"}
        done = subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), "check", "--deploy"],
            env={**env, "DEBUG": "1", "CACHE_DIR": str(blocker / "cache")},
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        # Django's FileBasedCache makes its folder when the cache is first set up,
        # so ``check --deploy`` (as DEPLOY.md runs it) fails and names the folder.
        self.assertNotEqual(done.returncode, 0)
        self.assertIn(str(blocker / "cache"), done.stderr)
