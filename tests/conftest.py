from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    # Fast hashing: the cast's passwords are not what the tests are about.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the founding document and the fixed cast once per test database."""
    from tests.cast import build_cast

    with django_db_blocker.unblock():
        build_cast()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Every test starts with an empty cache: rate-limit counts, the dashboard's
    minute and the session refresh marks must not carry over from another test."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    yield


@pytest.fixture(autouse=True)
def _still_rate_limit_clock():
    """The rate limiter counts in fixed windows (a minute): a test that sends two
    requests across a minute's turn would see its count reset and flake. Its clock
    stands at the middle of one window of every period a test uses."""
    from unittest import mock

    with mock.patch("jinwei_ip.lib.ratelimit.clock", return_value=1_800_000_030):
        yield
