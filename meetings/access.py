"""Who may see or act on meetings, topics and minutes: the meetings app's access helper.

404 for people who may not see an object (its existence is not revealed), 403 for
people who see it but may not do the action. Unit rights come from object
permissions on the meeting, granted to the unit's auth group only by
``meetings.services.meeting_grants_sync``:

- every unit a meeting concerns (all member units for a plenary): meetings.view_meeting
- once a minutes version is issued, also:                        meetings.read_minutes

Draft, submitted and approved minutes are seen only by the office and the leaders.
Topics are seen by the office, the leaders, the unit that raised them and the
units named as needing to coordinate (需协同的单位); only the raising unit may
withdraw its topic, and only before it is on an agenda.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from members.access import has_object_perm, may_view
from members.models import User

from .models import Meeting, Minutes, Topic

VIEW_MEETING = "meetings.view_meeting"
VIEW_MINUTES = "meetings.read_minutes"


def get_meeting_for(user: User, pk: int, *, office: bool = False) -> Meeting:
    """The meeting if ``user`` may see it (else 404); with ``office``, only office
    staff may act (others who see it get 403)."""
    meeting = get_object_or_404(
        Meeting.objects.select_related("host__unit", "recorder__unit", "created_by"),
        pk=pk,
    )
    if not may_view(user, meeting, VIEW_MEETING):
        raise Http404
    if office and not user.is_office:
        raise PermissionDenied
    return meeting


def may_read_minutes(user: User, minutes: Minutes) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    if user.sees_everything:
        return True
    return minutes.is_frozen and has_object_perm(user, VIEW_MINUTES, minutes.meeting)


def get_minutes_for(
    user: User, pk: int, *, office: bool = False, approver: bool = False
) -> Minutes:
    """The minutes version if ``user`` may read it (else 404). ``office``: only
    office staff may act; ``approver``: only the convener leader (else 403)."""
    minutes = get_object_or_404(
        Minutes.objects.select_related(
            "meeting",
            "meeting__host",
            "meeting__recorder",
            "drafted_by",
            "approved_by",
            "issued_by",
            "supersedes",
        ),
        pk=pk,
    )
    if not may_read_minutes(user, minutes):
        raise Http404
    if office and not user.is_office:
        raise PermissionDenied
    if approver and not minutes.may_be_approved_by(user):
        raise PermissionDenied
    return minutes


def may_view_topic(user: User, topic: Topic) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    if user.sees_everything:
        return True
    if not user.is_unit_member:
        return False
    if topic.is_raised_by(user):
        return True
    return Topic.objects.visible_to(user).filter(pk=topic.pk).exists()


def may_withdraw_topic(user: User, topic: Topic) -> bool:
    """The raising unit's accounts, while the topic is not yet on an agenda."""
    return topic.is_raised_by(user) and topic.can_be_withdrawn()


def get_topic_for(
    user: User, pk: int, *, office: bool = False, raiser: bool = False
) -> Topic:
    """The topic if ``user`` may see it (else 404); with ``office``, only office
    staff may act, with ``raiser`` only the raising unit's accounts (else 403)."""
    topic = get_object_or_404(
        Topic.objects.select_related("raised_by_unit", "raised_by", "meeting"), pk=pk
    )
    if not may_view_topic(user, topic):
        raise Http404
    if office and not user.is_office:
        raise PermissionDenied
    if raiser and not topic.is_raised_by(user):
        raise PermissionDenied
    return topic


def require_topic_user(user: User) -> None:
    """The topic pages: office, leaders and units' accounts; nobody else."""
    if not (user.is_authenticated and (user.sees_everything or user.is_unit_member)):
        raise Http404


def may_raise_topic(user: User) -> bool:
    return user.is_authenticated and (user.is_office or user.is_unit_member)
