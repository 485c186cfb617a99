"""Login protection helpers used by settings (django-axes).

Lock-outs are per username *and* address (``AXES_LOCKOUT_PARAMETERS =
[["username", "ip_address"]]``): one office behind one NAT address is never
locked out because one colleague mistyped, and a guessed username from a
second address is counted apart.

The cool-off grows with the failures of the same username from the same address
within a day: a mistyped password costs minutes, a guessing script hours.
Failures are read from django-axes' ``AccessFailureLog`` when
``AXES_ENABLE_ACCESS_FAILURE_LOG`` is on (it survives the end of a cool-off, so
the tiers escalate across lock-outs); otherwise from the live ``AccessAttempt``
row (escalates while the guessing goes on). With ``AXES_USE_ATTEMPT_EXPIRATION``
on, every attempt keeps its own expiry, so one person's short cool-off never
cleans away another's long one.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

COOLOFF_TIERS = [timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=4)]
TIER_WINDOW = timedelta(hours=24)


def _attempted_username(request: HttpRequest) -> str:
    if request.method != "POST":
        return ""
    field = getattr(settings, "AXES_USERNAME_FORM_FIELD", "username")
    return (request.POST.get(field) or "").strip()


def _address(request: HttpRequest) -> str:
    return getattr(request, "axes_ip_address", None) or request.META.get(
        "REMOTE_ADDR", ""
    )


def recent_failures(username: str, ip_address: str) -> int:
    """Failed logins of ``username`` from ``ip_address`` within the tier window."""
    from axes.models import AccessAttempt, AccessFailureLog

    if getattr(settings, "AXES_ENABLE_ACCESS_FAILURE_LOG", False):
        return AccessFailureLog.objects.filter(
            username=username,
            ip_address=ip_address,
            attempt_time__gte=timezone.now() - TIER_WINDOW,
        ).count()
    return sum(
        AccessAttempt.objects.filter(
            username=username, ip_address=ip_address
        ).values_list("failures_since_start", flat=True)
    )


def cooloff_for_failures(
    failures: int,
    *,
    limit: int | None = None,
    tiers: list[timedelta] | None = None,
) -> timedelta:
    """5 failures → 5 minutes, 10 → 30 minutes, 15 or more → 4 hours (the
    security policy passes its own limit and tiers)."""
    if limit is None:
        configured = getattr(settings, "AXES_FAILURE_LIMIT", 5)
        limit = configured if isinstance(configured, int) else 5
    tiers = tiers or COOLOFF_TIERS
    tier = max(0, failures // max(1, limit) - 1)
    return tiers[min(tier, len(tiers) - 1)]


def axes_cooloff(
    request: HttpRequest | None,
    *,
    limit: int | None = None,
    tiers: list[timedelta] | None = None,
) -> timedelta:
    """Return the cool-off for this login attempt (``AXES_COOLOFF_TIME`` goes
    through ``security.policy.axes_cooloff``, which passes the policy's limit
    and tiers)."""
    tiers = tiers or COOLOFF_TIERS
    if request is None:
        return tiers[0]
    username = _attempted_username(request)
    if not username:
        return tiers[0]
    failures = recent_failures(username, _address(request))
    return cooloff_for_failures(failures, limit=limit, tiers=tiers)


class SessionRefreshMiddleware:
    """Idle timeout without a database write on every request.

    ``SESSION_SAVE_EVERY_REQUEST = True`` pushes a session's expiry forward on each
    request, at the price of ``BEGIN; UPDATE django_session; COMMIT`` (and a row
    lock) per page. With this middleware and ``SESSION_SAVE_EVERY_REQUEST = False``
    the session is saved — and its expiry pushed to now + SESSION_COOKIE_AGE — only
    when the last refresh is older than ``SESSION_REFRESH_SECONDS`` (default 60):
    an idle session then ends between AGE − 60 s and AGE after the last click.
    Place it right after SessionMiddleware.
    """

    KEY = "_refreshed_at"

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or getattr(settings, "SESSION_SAVE_EVERY_REQUEST", False):
            return response
        if session.is_empty() or response.status_code >= 500:
            return response
        now = int(timezone.now().timestamp())
        every = int(getattr(settings, "SESSION_REFRESH_SECONDS", 60))
        last = session.get(self.KEY)
        if not isinstance(last, int) or now - last >= every:
            session[self.KEY] = now  # marks the session modified: it is saved
        return response
