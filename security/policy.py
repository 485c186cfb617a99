"""The security policy as the rest of the portal reads it.

The one row of ``SecurityPolicy`` is read through the cache (every app server
sees a change within ``POLICY_CACHE_SECONDS``; the server that saved it at once),
so a login or a password check does not cost a query each time.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.cache import cache
from django.http import HttpRequest

from jinwei_ip.lib.security import axes_cooloff as lib_axes_cooloff

from .models import SecurityPolicy

CACHE_KEY = "security:policy:v1"
POLICY_CACHE_SECONDS = 30


def current_policy() -> SecurityPolicy:
    policy = cache.get(CACHE_KEY)
    if policy is None:
        policy, _created = SecurityPolicy.objects.get_or_create(pk=1)
        cache.set(CACHE_KEY, policy, POLICY_CACHE_SECONDS)
    return policy


def forget_policy() -> None:
    cache.delete(CACHE_KEY)


# --- django-axes hooks (AXES_FAILURE_LIMIT, AXES_COOLOFF_TIME) -----------------


def axes_failure_limit(request: HttpRequest | None, credentials=None) -> int:
    return current_policy().lockout_failures


def axes_cooloff(request: HttpRequest | None) -> timedelta:
    """The cool-off of this attempt: the policy's tiers by the failures of the
    same username from the same address within a day (lib.security)."""
    policy = current_policy()
    return lib_axes_cooloff(
        request, limit=policy.lockout_failures, tiers=policy.cooloff_tiers
    )
