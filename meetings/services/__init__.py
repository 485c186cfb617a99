"""Workflows of the meetings app: the only place that changes meetings, agendas,
attendance and minutes, and the only place that grants units access to them.

Every function is keyword-only and atomic. Bad input raises ``ValidationError``
with a Chinese message (naming the field or row); a stale minutes edit raises
``StaleEdit``. Who may call what is checked by the views (``meetings.access``);
the services check the state rules (a frozen minutes stays frozen whoever asks).

Two modules, one interface (import from ``meetings.services``):
``meetings.services.meetings`` (meetings, agendas, attendance, the plenary rule
check, grants) and ``meetings.services.minutes`` (the minutes workflow).
"""

from jinwei_ip.lib.forms import StaleEdit

from .meetings import (
    AttendanceRow,
    MeetingData,
    PlenaryStatus,
    attendance_record,
    attendance_roster,
    meeting_cancel,
    meeting_create,
    meeting_data_from,
    meeting_grants_sync,
    meeting_mark_held,
    meeting_update,
    meeting_update_check,
    plenary_status,
    topic_decline,
    topic_move,
    topic_raise,
    topic_schedule,
    topic_unschedule,
    topic_withdraw,
)
from .minutes import (
    DecisionInput,
    minutes_approve,
    minutes_correct,
    minutes_draft,
    minutes_issue,
    minutes_return,
    minutes_submit,
    minutes_update,
)

__all__ = [
    "AttendanceRow",
    "DecisionInput",
    "MeetingData",
    "PlenaryStatus",
    "StaleEdit",
    "attendance_record",
    "attendance_roster",
    "meeting_cancel",
    "meeting_create",
    "meeting_data_from",
    "meeting_grants_sync",
    "meeting_mark_held",
    "meeting_update",
    "meeting_update_check",
    "minutes_approve",
    "minutes_correct",
    "minutes_draft",
    "minutes_issue",
    "minutes_return",
    "minutes_submit",
    "minutes_update",
    "plenary_status",
    "topic_decline",
    "topic_move",
    "topic_raise",
    "topic_schedule",
    "topic_unschedule",
    "topic_withdraw",
]
