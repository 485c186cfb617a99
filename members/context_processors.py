from __future__ import annotations

from django.http import HttpRequest

from .access import sees_everything


def portal(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "is_office": user.is_office,
        "is_overseer": sees_everything(user),
        "my_unit": user.unit if user.is_unit_member else None,
    }
