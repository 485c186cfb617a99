"""Per-request security: what a signed-in person must do before using the portal
(two-factor verification or enrolment, a new password), the policy's idle
timeout, and the headers every response carries.

What the policy asks of a person is worked out once, at sign-in
(``login_state``), and kept in the session, so ordinary pages cost no query for
it; the pages that matter (two-factor, password, the administrators' pages)
read the database.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from jinwei_ip.lib.audit import log_event

# Session keys written at sign-in.
NEEDS_OTP = "security_needs_otp"  # "verify" / "enrol" / absent
NEEDS_PASSWORD = "security_needs_password"  # "first" / "expired" / absent
ROLE = "security_role"  # the account's administrator role, for the menu
LAST_SEEN = "_refreshed_at"  # written by lib.security.SessionRefreshMiddleware
IDLE = "security_idle_seconds"


def exempt() -> bool:
    """``SECURITY_DEMO_EXEMPT``: the demo (``make run``) and the test suite do not
    force two-factor enrolment, first-login or expired-password changes on their
    fixed accounts. Production leaves it off (``check --deploy`` says so)."""
    return bool(getattr(settings, "SECURITY_DEMO_EXEMPT", False))


def login_state(sender, request, user, **kwargs) -> None:
    """At sign-in: what this person must do first, and their admin role."""
    if request is None or not hasattr(request, "session"):
        return
    from .policy import current_policy
    from .services import (
        account_security,
        admin_role_of,
        otp_device_confirmed,
        requires_two_factor,
    )

    policy = current_policy()
    session = request.session
    role = admin_role_of(user)
    if role:
        session[ROLE] = role
    session[IDLE] = policy.session_idle_minutes * 60
    has_device = otp_device_confirmed(user) is not None
    if has_device:
        session[NEEDS_OTP] = "verify"
    elif not exempt() and requires_two_factor(user, role=role, policy=policy):
        session[NEEDS_OTP] = "enrol"
    if not exempt():
        state = account_security(user)
        if state.must_change_password:
            session[NEEDS_PASSWORD] = "first"
        elif state.password_expired(policy.password_max_age_days):
            session[NEEDS_PASSWORD] = "expired"


class SecurityPolicyMiddleware:
    """Place after AuthenticationMiddleware and MessageMiddleware."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def _open_paths(self) -> tuple[str, ...]:
        return (
            settings.STATIC_URL,
            reverse("logout"),
            reverse("set_language"),
            "/security/2fa/",
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        session = request.session
        idle = session.get(IDLE)
        last = session.get(LAST_SEEN)
        if (
            not exempt()
            and isinstance(idle, int)
            and isinstance(last, int)
            and time.time() - last > idle
        ):
            log_event(request, "session_expired")
            logout(request)
            return redirect(f"{reverse('login')}?next={request.path}")
        path = request.path
        if not path.startswith(self._open_paths()):
            need = session.get(NEEDS_OTP)
            if need == "verify":
                return redirect(f"{reverse('security:otp_verify')}?next={path}")
            if need == "enrol":
                return redirect("security:otp_enrol")
            if session.get(NEEDS_PASSWORD) and path != reverse("password_change"):
                return redirect("password_change")
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """``Cache-Control: private, no-store`` on every response to a signed-in
    person (pages, partials and downloads alike: nothing they see is kept by a
    browser or a proxy), and the Permissions-Policy header on every response.
    Place it right after SecurityMiddleware."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response
        self.permissions_policy = getattr(settings, "PERMISSIONS_POLICY", "")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "private, no-store"
            response.headers.pop("Expires", None)
        if self.permissions_policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = self.permissions_policy
        return response
