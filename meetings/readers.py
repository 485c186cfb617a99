"""Who else reads a meeting's issued minutes: the units the apps to the right of
meetings give work from them (``jinwei_ip.lib.hooks``: registered from their
``AppConfig.ready``). Read by ``Meeting.minutes_readers``, so meetings never
names their models or relations.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from jinwei_ip.lib.hooks import Hook

if TYPE_CHECKING:
    from .models import Meeting

# (meeting) → the pks of the units given work from its decided matters, as a
# queryset of one column (``.values("pk")``) so the readers stay one query (tasks:
# the units leading or co-handling tasks made from the meeting's minutes).
minutes_reader_units: Hook[Callable[[Meeting], QuerySet]] = Hook(
    "meetings.minutes_reader_units"
)
