"""``check --deploy``: production must not run with the demo's exemptions."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def demo_exemption_off(app_configs, **kwargs) -> list[Warning]:
    if getattr(settings, "SECURITY_DEMO_EXEMPT", False):
        return [
            Warning(
                "SECURITY_DEMO_EXEMPT is on: two-factor enrolment and password "
                "expiry are not enforced.",
                hint="Unset SECURITY_DEMO_EXEMPT in production (make run sets it).",
                id="security.W001",
            )
        ]
    return []
