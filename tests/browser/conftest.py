"""Browser tests: a real portal server on a fresh demo database, driven by Chromium.

The server is started once per session in a subprocess (``make run`` minus the
shell), on a temporary SQLite database loaded with ``load_demo``, so the journeys
see exactly what a newcomer sees. Debian's Chromium is used (no browser download).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "test-results"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DEMO_PASSWORD = "jinwei-demo-2026"
# The running portal's environment, for a test that starts its job worker
# (``manage.py run_huey``) on the same database and queue.
PORTAL_ENV: dict[str, str] = {}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(extra_env: dict[str, str]) -> Iterator[str]:
    workdir = Path(tempfile.mkdtemp(prefix="jinwei-browser-"))
    port = _free_port()
    env = {
        **os.environ,
        "DEBUG": "0",
        "JINWEI_TESTING": "0",
        "SECRET_KEY": "browser-test-secret-key-not-for-production-use-0123456789",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite3'}",
        "VAR_DIR": str(workdir),
        "STATIC_MANIFEST": "0",
        "WHITENOISE_USE_FINDERS": "1",
        "SECURE_COOKIES": "0",
        "SECURE_SSL_REDIRECT": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "DEMO_PASSWORD": DEMO_PASSWORD,
        # the demo ledger is small: exports of more rows than this become jobs
        "EXPORT_INLINE_MAX_ROWS": "5",
        # and plan imports of more rows than this
        "PLAN_IMPORT_JOB_ROWS": "2",
        "QUEUE_POLL_SECONDS": "0.5",
        **extra_env,
    }
    PORTAL_ENV.update(env)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run(
        [*manage, "migrate", "--no-input", "-v0"], env=env, check=True, cwd=ROOT
    )
    subprocess.run(
        [*manage, "load_demo"], env=env, check=True, cwd=ROOT, capture_output=True
    )
    log = open(workdir / "server.log", "w")
    server = subprocess.Popen(
        [*manage, "runserver", "--noreload", "--nothreading", f"127.0.0.1:{port}"],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(url + "/accounts/login/", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    else:
        server.kill()
        raise RuntimeError((workdir / "server.log").read_text())
    yield url
    server.terminate()
    server.wait(timeout=10)
    log.close()
    shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="session")
def portal_url() -> Iterator[str]:
    """The demo as ``make run`` serves it (SECURITY_DEMO_EXEMPT on)."""
    yield from _serve({"SECURITY_DEMO_EXEMPT": "1"})


@pytest.fixture(scope="session")
def strict_portal_url() -> Iterator[str]:
    """The demo data with production's security policy: two-factor enforced."""
    yield from _serve({"SECURITY_DEMO_EXEMPT": "0"})


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(
            "Chromium is not installed: run `make test` (it installs it) or apt-get install chromium"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(
        viewport={"width": 1366, "height": 768}, locale="zh-CN"
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        RESULTS.mkdir(exist_ok=True)
        page.screenshot(path=str(RESULTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, "rep_" + report.when, report)


@contextlib.contextmanager
def job_worker() -> Iterator[None]:
    """The portal's job worker (``manage.py run_huey``, as ``make run`` starts it)
    for the length of the block: PDFs and large exports are made by it."""
    worker = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "run_huey", "--workers", "1"],
        env=PORTAL_ENV,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield
    finally:
        worker.terminate()
        worker.wait(timeout=10)


def login(page, base_url: str, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(base_url + "/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state("networkidle")


def logout(page) -> None:
    page.context.clear_cookies()
