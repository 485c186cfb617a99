"""The daily digest on the job queue's own schedule (``jobs``): no cron needed;
``manage.py send_reminders`` still sends it by hand."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from jinwei_ip.lib.workdays import is_workday

from .digest import digests_send

DIGEST_LOCK = "jobs:daily-digest"


def digest_due(now: datetime | None = None) -> list:
    """Send today's digest if it is a working day and its hour has come. Run
    every ten minutes: the first run after REMINDER_HOUR sends, the rest find
    everyone reminded (ReminderLog), and a worker that was down at the hour
    catches up. (``manage.py send_reminders`` sends on any day it is run.)"""
    local = timezone.localtime(now)
    if local.hour < settings.REMINDER_HOUR or not is_workday(local.date()):
        return []
    return digests_send(day=local.date())


@db_periodic_task(crontab(minute="*/10"))
def daily_digest() -> int:
    """Every worker's scheduler enqueues this; one run at a time goes ahead. The
    lock is in the cache (Redis with several servers) and expires on its own, so a
    worker killed while sending cannot hold it (huey's lock_task would, forever)."""
    if not cache.add(DIGEST_LOCK, 1, timeout=15 * 60):
        return 0
    try:
        return len(digest_due())
    finally:
        cache.delete(DIGEST_LOCK)
