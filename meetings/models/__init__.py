"""Meetings of the group (工作规则), their agenda, attendance, minutes and decided
matters. Two modules, one app: ``meetings.models.meetings`` (meetings, topics,
attendance, the meeting object permissions) and ``meetings.models.minutes``
(minutes, decided matters, their suggested units); import from here."""

from .meetings import (
    Attendance,
    Meeting,
    MeetingGroupObjectPermission,
    MeetingQuerySet,
    MeetingUserObjectPermission,
    Topic,
    TopicQuerySet,
)
from .minutes import Decision, Minutes, MinutesQuerySet, SuggestedUnit

__all__ = [
    "Attendance",
    "Decision",
    "Meeting",
    "MeetingGroupObjectPermission",
    "MeetingQuerySet",
    "MeetingUserObjectPermission",
    "Minutes",
    "MinutesQuerySet",
    "SuggestedUnit",
    "Topic",
    "TopicQuerySet",
]
