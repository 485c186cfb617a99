"""Driving the job queue from a test, as its worker would."""

from __future__ import annotations

import contextlib
import smtplib
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from unittest import mock

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from huey.contrib.djhuey import HUEY
from huey.storage import MemoryStorage


class DownBackend(BaseEmailBackend):
    """A mail server that refuses every connection."""

    def send_messages(self, messages):
        raise smtplib.SMTPConnectError(
            421, "mail.example.invalid: service not available"
        )


class SlowBackend(LocmemBackend):
    """A mail server that takes two seconds to accept a message."""

    def send_messages(self, messages):
        time.sleep(2)
        return super().send_messages(messages)


@contextlib.contextmanager
def queued() -> Iterator[None]:
    """The queue as in production: enqueued jobs wait for a worker (``drain``)."""
    storage, immediate = HUEY.storage, HUEY._immediate
    HUEY._immediate = False
    HUEY.storage = MemoryStorage(HUEY.name)
    try:
        # A worker closes its database connection around each job; in a test
        # that would close the test's transaction (PostgreSQL).
        with mock.patch("huey.contrib.djhuey.close_old_connections"):
            yield
    finally:
        HUEY.storage, HUEY._immediate = storage, immediate


def drain() -> int:
    """Run what is waiting in the queue, as a worker would; return how many."""
    n = 0
    while (task := HUEY.dequeue()) is not None:
        HUEY.execute(task)
        n += 1
    return n


def run_retries(after: timedelta) -> int:
    """Run the retries the queue has scheduled up to ``after`` from now."""
    at = datetime.utcnow() + after
    due = HUEY.read_schedule(at)
    for task in due:
        HUEY.execute(task, timestamp=at)
    return len(due)
