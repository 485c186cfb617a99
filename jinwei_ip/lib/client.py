"""Who is at the other end of a request: one reading of the client's address
for django-axes' lock-outs (``AXES_CLIENT_IP_CALLABLE``), the rate limits and the
audit log."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def _trusted_proxy(address: str) -> bool:
    import ipaddress

    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    for network in getattr(settings, "TRUSTED_PROXIES", ()):
        try:
            if ip in ipaddress.ip_network(network, strict=False):
                return True
        except ValueError:
            continue
    return False


def client_address(request: HttpRequest) -> str:
    """The client's address, for lock-outs (AXES_CLIENT_IP_CALLABLE), rate limits
    and the audit log.

    Without ``BEHIND_PROXY`` it is REMOTE_ADDR. Behind nginx, and only when the
    request comes from one of ``TRUSTED_PROXIES``: the ``X-Real-IP`` nginx sets
    to its peer's address, else the right-most ``X-Forwarded-For`` entry that is
    not itself a trusted proxy (entries to its left are whatever the client
    claimed, and are never believed). "" when there is no address at all (a
    request built in code): django-axes stores it as no address.
    """
    remote = request.META.get("REMOTE_ADDR", "") or ""
    if not getattr(settings, "BEHIND_PROXY", False) or not _trusted_proxy(remote):
        return remote
    real = request.META.get("HTTP_X_REAL_IP", "").strip()
    if real:
        return real[:64]
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    for address in reversed(forwarded):
        if not _trusted_proxy(address):
            return address[:64]
    return remote


def client_ip(request: HttpRequest) -> str:
    """``client_address``, or "unknown" when there is none (rate-limit keys)."""
    return client_address(request) or "unknown"
