"""Template filters for official documents (``{% load official %}``).

Registered in settings.TEMPLATES as the library ``official``: jinwei_ip/lib is no
app, and every app's official PDF uses these.
"""

from __future__ import annotations

from django import template

from .titles import title_lines as _title_lines

register = template.Library()


@register.filter
def title_lines(title: str) -> list[str]:
    """The lines of an official title broken by GB/T 9704-2012 7.3.1."""
    return _title_lines(str(title or ""))
