"""What the apps to the right of meetings add to its pages and workflows
(``jinwei_ip.lib.hooks``: registered from their ``AppConfig.ready``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from jinwei_ip.lib.hooks import Hook
from members.models import User

from .models import Decision, Meeting, Minutes

# (viewer, the decided matters on a minutes page) → None: attach to each decided
# matter what the app shows under it (tasks: ``visible_tasks``, the tasks made from
# it that the viewer may open, for ``tasks/_decision_tasks.html``), in a fixed
# number of queries.
decision_details: Hook[Callable[[User, list[Decision]], None]] = Hook(
    "meetings.decision_details"
)

# (the issued correction, who issued it) → what stayed with the superseded version
# (tasks: those whose decided matter the correction no longer has).
correction_followers: Hook[Callable[..., Iterable]] = Hook(
    "meetings.correction_followers"
)

# (minutes) → sections the minutes print after the decided matters, each a dict of
# "heading", "intro" and "lines" (tasks: 前次会议议定事项落实情况, the meeting's
# dispositions of earlier meetings' open matters).
minutes_sections: Hook[Callable[[Minutes], list[dict]]] = Hook(
    "meetings.minutes_sections"
)

# (person) → more events for their calendar feed (campaigns: their dates and
# reporting deadlines), as ``meetings.ics.FeedEvent``.
calendar_events: Hook[Callable[[User], Iterable]] = Hook("meetings.calendar_events")

# (viewer, meeting) → links the meeting's page lists under 会议材料, each a dict of
# "title", "url" and "note" (may be ""), only those the viewer may open (annual:
# the meeting pack, 会议材料汇编, of the round it belongs to).
meeting_links: Hook[Callable[[User, Meeting], Iterable[dict]]] = Hook(
    "meetings.meeting_links"
)
