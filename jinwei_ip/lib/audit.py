"""Security audit log: logins, refusals and exports, to logger ``jinwei_ip.audit``.

One line per event, ``event key=value …``, values quoted so a username typed by
an attacker cannot forge a second line. The same fields are attached to the
record as ``record.audit`` (a dict) for a JSON formatter or a SIEM shipper.

- ``AuditMiddleware`` (after AuthenticationMiddleware): logs 403 answers
  ("permission_denied") and 404 answers to signed-in people ("not_found": the
  access helpers answer 404 for objects a person may not see), and connects the
  login signals on start-up.
- ``connect_audit_signals()``: login success, failure, logout and django-axes
  lock-outs. Idempotent; may also be called from an AppConfig.ready().
- ``export_event(request, what, obj)``: views that hand out data (Excel ledger,
  PDFs, evidence downloads, ICS) call it.
- ``add_sink(fn)``: also hand every event's fields to ``fn`` (the security app
  stores them as rows of its tamper-evident audit table).
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import (
    user_logged_in,
    user_logged_out,
    user_login_failed,
)
from django.http import HttpRequest, HttpResponse

from .client import client_ip

logger = logging.getLogger("jinwei_ip.audit")

# Callables given each event's fields after its line is written.
_sinks: list = []


def add_sink(sink) -> None:
    if sink not in _sinks:
        _sinks.append(sink)


def _quote(value: Any) -> str:
    text = str(value)
    if text and all(c.isalnum() or c in "-_.:/@" for c in text):
        return text
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = escaped.replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'


def _client_ip(request: HttpRequest | None) -> str:
    return "" if request is None else client_ip(request)


# URL arguments that are credentials (the personal calendar feed's token): the
# audit line names the address with the value masked, so the log is not a list of
# working subscription addresses.
SECRET_URL_KWARGS = frozenset({"token"})


def _logged_path(request: HttpRequest) -> str:
    path = request.path
    match = getattr(request, "resolver_match", None)
    for name, value in match.kwargs.items() if match else ():
        if name in SECRET_URL_KWARGS and value:
            path = path.replace(str(value), "***")
    return path


def log_event(
    request: HttpRequest | None,
    event: str,
    *,
    level: int = logging.INFO,
    user: Any = None,
    **fields: Any,
) -> dict[str, Any]:
    """Write one audit line; returns the fields written (handy in tests)."""
    if user is None and request is not None:
        user = getattr(request, "user", None)
    data: dict[str, Any] = {"event": event}
    if user is not None and getattr(user, "is_authenticated", False):
        data["user"] = user.get_username()
        data["user_id"] = user.pk
    data["ip"] = _client_ip(request)
    if request is not None:
        data["method"] = request.method
        data["path"] = _logged_path(request)
    data.update({k: v for k, v in fields.items() if v is not None})
    line = " ".join(
        [event] + [f"{k}={_quote(v)}" for k, v in data.items() if k != "event"]
    )
    logger.log(level, line, extra={"audit": data})
    for sink in _sinks:
        sink(data)
    return data


def export_event(
    request: HttpRequest, what: str, obj: Any = None, **fields: Any
) -> dict[str, Any]:
    """Record that ``request.user`` took data out: ``what`` names the output
    ("task_ledger_xlsx", "minutes_pdf", "evidence" …), ``obj`` the object if one."""
    if obj is not None:
        fields.setdefault("object", f"{obj._meta.label_lower}:{obj.pk}")
    return log_event(request, "export", what=what, **fields)


# --- login signals -----------------------------------------------------------


def _on_login(sender, request, user, **kwargs) -> None:
    log_event(request, "login", user=user)


def _on_logout(sender, request, user, **kwargs) -> None:
    if user is not None:
        log_event(request, "logout", user=user)


def _on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    username = (credentials or {}).get("username", "")
    log_event(request, "login_failed", level=logging.WARNING, attempted=username[:150])


def _on_locked_out(sender, request, username=None, ip_address=None, **kwargs) -> None:
    log_event(
        request,
        "login_locked_out",
        level=logging.WARNING,
        attempted=(username or "")[:150],
    )


def connect_audit_signals() -> None:
    user_logged_in.connect(_on_login, dispatch_uid="jinwei_audit_login")
    user_logged_out.connect(_on_logout, dispatch_uid="jinwei_audit_logout")
    user_login_failed.connect(_on_login_failed, dispatch_uid="jinwei_audit_failed")
    try:
        from axes.signals import user_locked_out
    except ImportError:  # pragma: no cover - axes is a dependency
        return
    user_locked_out.connect(_on_locked_out, dispatch_uid="jinwei_audit_locked")


# --- middleware --------------------------------------------------------------


class AuditMiddleware:
    """Log refusals. Place it after AuthenticationMiddleware."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response
        connect_audit_signals()
        self.skip_prefixes = tuple(
            p for p in (getattr(settings, "STATIC_URL", None), "/favicon.ico") if p
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        status = response.status_code
        if status in (403, 404) and not request.path.startswith(self.skip_prefixes):
            user = getattr(request, "user", None)
            authenticated = bool(user is not None and user.is_authenticated)
            if status == 403:
                log_event(request, "permission_denied", level=logging.WARNING)
            elif authenticated:
                log_event(request, "not_found", level=logging.INFO)
        return response
