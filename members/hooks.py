"""What the apps to the right of members add to its pages (``jinwei_ip.lib.hooks``:
registered from their ``AppConfig.ready``), so members never names their models
or their relations to a unit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jinwei_ip.lib.hooks import Hook

from .models import Unit

# (the member units in the group page's table) → None: attach to each unit what
# the app shows in its row, in a fixed number of queries (duties: ``duty_count``
# and ``joint_count``, its clauses and its joint ones).
group_unit_details: Hook[Callable[[list[Unit]], None]] = Hook(
    "members.group_unit_details"
)

# (the unit of the office) → what the app adds to the office page's context
# (duties: ``office_duties``, the office unit's first clause).
office_page_parts: Hook[Callable[[Unit], dict[str, Any]]] = Hook(
    "members.office_page_parts"
)

# (unit) → what the app adds to the unit page's context (duties: ``duties``, the
# unit's clauses in order).
unit_page_parts: Hook[Callable[[Unit], dict[str, Any]]] = Hook(
    "members.unit_page_parts"
)
