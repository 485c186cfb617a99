"""The bell: how many notifications a person has not read."""

from __future__ import annotations

from django import template

from notices.models import Notification

register = template.Library()


@register.simple_tag
def unread_notifications(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
