"""Rate limits for expensive endpoints (PDF rendering, imports, exports).

A fixed-window counter in the Django cache: LocMemCache per process in a demo,
the shared Redis (``CACHE_URL``) when several app servers run, so the limit then
holds across all of them. Usage on a function view::

    @ratelimit(key="user", rate="20/m", group="pdf")
    def minutes_pdf(request, pk): ...

Over the limit the view is not called; the person gets HTTP 429 with a Chinese
page saying when to try again, and the event goes to the audit log.

Settings (read with defaults, so nothing is required):

- ``RATELIMIT_ENABLE`` (default True): switch every limit off, e.g. in benchmarks.
- ``RATELIMIT_RATES``: ``{"pdf": "30/m"}`` overrides a group's rate in one place.
- ``RATELIMIT_CACHE`` (default "default"): the cache alias to count in.
"""

from __future__ import annotations

import functools
import hashlib
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.translation import gettext as _

from .audit import log_event
from .client import client_ip

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """ "20/m" → (20, 60); "5/10m" → (5, 600); "100/h" → (100, 3600)."""
    try:
        count, period = rate.split("/", 1)
        unit = period[-1]
        multiplier = int(period[:-1]) if period[:-1] else 1
        return int(count), multiplier * PERIODS[unit]
    except (ValueError, KeyError) as error:
        raise ValueError(
            f"Bad rate {rate!r}: use e.g. '20/m', '5/10m', '100/h'"
        ) from error


def request_key(request: HttpRequest, key: str | Callable[[HttpRequest], str]) -> str:
    """Who is counted: "user" (the account; its address when anonymous), "ip",
    or a callable taking the request."""
    if callable(key):
        return str(key(request))
    user = getattr(request, "user", None)
    if key == "user" and user is not None and user.is_authenticated:
        return f"u{user.pk}"
    if key in {"user", "ip"}:
        return f"ip{client_ip(request)}"
    raise ValueError(f"Unknown rate limit key {key!r}: use 'user', 'ip' or a callable")


def clock() -> int:
    """The limiter's time in whole seconds (tests hold it still, so that two
    requests of one test never fall into two windows)."""
    return int(time.time())


def hit(group: str, who: str, rate: str) -> tuple[bool, int]:
    """Count one request; return (allowed, seconds until the window resets)."""
    limit, period = parse_rate(rate)
    now = clock()
    window = now // period
    digest = hashlib.sha256(f"{group}:{who}".encode()).hexdigest()[:32]
    cache_key = f"rl:{digest}:{window}"
    cache = caches[getattr(settings, "RATELIMIT_CACHE", "default")]
    # add() then incr() is atomic on Redis and under LocMemCache's lock.
    cache.add(cache_key, 0, timeout=period + 1)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # evicted between add and incr
        cache.set(cache_key, 1, timeout=period + 1)
        count = 1
    retry_after = (window + 1) * period - now
    return count <= limit, max(1, retry_after)


def too_many_requests(request: HttpRequest, retry_after: int) -> HttpResponse:
    minutes = (retry_after + 59) // 60
    message = _("操作过于频繁，请在 %(n)d 分钟后再试。") % {"n": minutes}
    context = {"message": message, "retry_after": retry_after}
    try:
        body = render_to_string("429.html", context, request=request)
    except TemplateDoesNotExist:
        body = (
            '<!doctype html><html lang="zh-hans"><meta charset="utf-8">'
            f"<title>{escape(_('请求过于频繁'))}</title><h1>{escape(_('请求过于频繁'))}</h1>"
            f"<p>{escape(message)}</p></html>"
        )
    response = HttpResponse(body, status=429, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(retry_after)
    return response


def ratelimit(
    *,
    key: str | Callable[[HttpRequest], str] = "user",
    rate: str = "20/m",
    group: str | None = None,
    methods: tuple[str, ...] | None = None,
) -> Callable:
    """Decorate a function view: at most ``rate`` requests per ``key`` in ``group``.

    ``group`` defaults to the view's dotted name; views sharing a group share the
    count. ``methods`` limits counting to those HTTP methods (default: all).
    """
    parse_rate(rate)  # fail at import time on a typo

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        name = group or f"{view.__module__}.{view.__qualname__}"

        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not getattr(settings, "RATELIMIT_ENABLE", True) or (
                methods is not None and request.method not in methods
            ):
                return view(request, *args, **kwargs)
            effective = getattr(settings, "RATELIMIT_RATES", {}).get(name, rate)
            allowed, retry_after = hit(name, request_key(request, key), effective)
            if not allowed:
                log_event(request, "rate_limited", group=name, rate=effective)
                return too_many_requests(request, retry_after)
            return view(request, *args, **kwargs)

        wrapped.ratelimit_group = name  # type: ignore[attr-defined]
        return wrapped

    return decorator


# The portal's limits, one per kind of expensive endpoint; views of a kind share
# the count (a person rendering minutes and bulletins uses one PDF allowance).
# Generous for a person at work, tight for a script: WeasyPrint needs 0.1–0.7 s
# of a worker per document, an import parses a whole workbook.
RATES = {
    "pdf": "20/m",  # minutes, bulletin and ledger PDFs
    "export": "30/m",  # the Excel ledger and the calendar download
    "import": "10/m",  # work-plan uploads and confirmations (POST)
    # the calendar subscription feed, per address (no session): many people may
    # share one address behind the intranet's NAT, and the token cannot be guessed
    "calendar_feed": "60/m",
}


def limited(group: str, *, methods: tuple[str, ...] | None = None) -> Callable:
    """``ratelimit`` per signed-in person at the portal's rate for ``group``."""
    return ratelimit(key="user", rate=RATES[group], group=group, methods=methods)
