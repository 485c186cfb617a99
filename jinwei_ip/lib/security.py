"""Login protection helpers used by settings (django-axes)."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.http import HttpRequest

audit = logging.getLogger("jinwei_ip.audit")

# Cool-off grows with repeated lock-outs of the same username from the same address:
# a mistyped password costs minutes, a guessing script costs hours.
COOLOFF_TIERS = [timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=4)]


def axes_cooloff(request: HttpRequest | None) -> timedelta:
    """Return the cool-off for this login attempt (tiered by earlier failures)."""
    if request is None:
        return COOLOFF_TIERS[0]
    from axes.models import AccessAttempt

    username = (
        (request.POST.get("username") or "").strip() if request.method == "POST" else ""
    )
    if not username:
        return COOLOFF_TIERS[0]
    failures = (
        AccessAttempt.objects.filter(username=username)
        .values_list("failures_since_start", flat=True)
        .first()
        or 0
    )
    from django.conf import settings

    tier = max(0, failures // max(1, settings.AXES_FAILURE_LIMIT) - 1)
    return COOLOFF_TIERS[min(tier, len(COOLOFF_TIERS) - 1)]
