"""Who is at the other end of a request (the audit log and the rate limits ask)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    # Behind nginx, SecurityMiddleware does not rewrite REMOTE_ADDR; the proxy
    # sets X-Real-IP, which only counts when we are told we are behind a proxy.
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        real = request.META.get("HTTP_X_REAL_IP", "").strip()
        if real:
            return real
    return request.META.get("REMOTE_ADDR", "") or "unknown"
