"""Template helpers of the meetings app: the plenary rule check, the home-page list,
status badges, the links other apps add to a meeting's page."""

from __future__ import annotations

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from meetings import hooks
from meetings.access import may_withdraw_topic
from meetings.models import Meeting, Minutes, Topic
from meetings.services import PlenaryStatus
from meetings.services import plenary_status as _plenary_status

register = template.Library()

MEETING_CLASS = {
    Meeting.Status.PLANNED: "text-bg-primary",
    Meeting.Status.HELD: "text-bg-success",
    Meeting.Status.CANCELLED: "text-bg-secondary",
}
MINUTES_CLASS = {
    Minutes.Status.DRAFT: "text-bg-secondary",
    Minutes.Status.SUBMITTED: "text-bg-warning",
    Minutes.Status.APPROVED: "text-bg-info",
    Minutes.Status.ISSUED: "text-bg-success",
}


@register.simple_tag
def plenary_status(year: int | None = None) -> PlenaryStatus:
    """``{% plenary_status as status %}``: this year's plenary, if any."""
    return _plenary_status(year)


OFFICE_PLANNED_BOUND = 100


@register.simple_tag(takes_context=True)
def home_meetings(context, limit: int = 5) -> dict:
    """``{% home_meetings as hm %}``: upcoming meetings and recently issued minutes
    the signed-in person may open; for the office also the meetings whose start
    has passed while still 已计划 (to mark held or cancel)."""
    user = context["request"].user
    columns = ("pk", "title", "kind", "starts_at", "place", "status")
    unconfirmed = []
    if user.is_office:
        # The office sees every meeting: one query of the planned ones, split at
        # now into those still to come and those to mark held or cancel (a
        # district plans a handful ahead; the bound only guards a runaway list).
        now = timezone.now()
        planned = list(
            Meeting.objects.filter(status=Meeting.Status.PLANNED)
            .only(*columns)
            .order_by("starts_at")[:OFFICE_PLANNED_BOUND]
        )
        unconfirmed = [m for m in planned if m.starts_at < now][:limit]
        upcoming = [m for m in planned if m.starts_at >= now][:limit]
    else:
        upcoming = list(
            Meeting.objects.visible_to(user).upcoming().only(*columns)[:limit]
        )
    minutes = list(
        Minutes.objects.visible_to(user)
        .issued()
        # superseded_by: a version replaced by an issued correction is marked.
        .select_related("meeting", "superseded_by")
        .order_by("-issued_at")[:limit]
    )
    pending = []
    if user.sees_everything:
        pending = list(
            Minutes.objects.exclude(status=Minutes.Status.ISSUED)
            .select_related("meeting", "returned_by")
            .order_by("-meeting__starts_at")[:limit]
        )
    return {
        "upcoming": upcoming,
        "unconfirmed": unconfirmed,
        "issued": minutes,
        "pending": pending,
    }


@register.simple_tag(takes_context=True)
def meeting_links(context, meeting: Meeting) -> list[dict]:
    """``{% meeting_links meeting as links %}``: what the apps to the right of
    meetings link to from this meeting's page (``hooks.meeting_links``), for the
    signed-in person."""
    user = context["request"].user
    return [link for links in hooks.meeting_links for link in links(user, meeting)]


@register.simple_tag
def meeting_badge(meeting: Meeting) -> str:
    badge = format_html(
        '<span class="badge badge-status {}">{}</span>',
        MEETING_CLASS.get(meeting.status, "text-bg-light"),
        meeting.get_status_display(),
    )
    if meeting.is_planned and meeting.has_started:
        # Still 已计划 after its start: the office has not recorded that it was
        # held (or cancelled); say so where the meeting is listed.
        badge += format_html(
            ' <span class="badge badge-status text-bg-warning" title="{}">{}</span>',
            _("会议开始时间已过，办公室尚未标记为已召开或取消"),
            _("待确认召开"),
        )
    return badge


@register.simple_tag
def minutes_badge(minutes: Minutes) -> str:
    if minutes.is_draft and minutes.return_reason:
        return format_html(
            '<span class="badge badge-status text-bg-danger">{}</span>', _("已退回")
        )
    if minutes.is_frozen and minutes.is_replaced:
        # Issued, then replaced by an issued correction: not the version in force.
        return format_html(
            '<span class="badge badge-status text-bg-light border" title="{}">{}</span>',
            _("已印发，后被更正版本取代"),
            _("已被更正"),
        )
    return format_html(
        '<span class="badge badge-status {}">{}</span>',
        MINUTES_CLASS.get(minutes.status, "text-bg-light"),
        minutes.get_status_display(),
    )


@register.filter
def withdrawable_by(topic: Topic, user) -> bool:
    """``{% if topic|withdrawable_by:request.user %}``: show 撤回."""
    return may_withdraw_topic(user, topic)
