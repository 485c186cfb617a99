"""The annual round's card on the home pages."""

from __future__ import annotations

from django import template
from django.db.models import Count, Q
from django.utils import timezone

from ..models import Round, Submission

register = template.Library()


@register.simple_tag(takes_context=True)
def annual_home(context) -> dict:
    """The latest round's state for the person: their unit's submission (a
    unit's accounts) or the count of units submitted (the office, leaders)."""
    user = context["request"].user
    latest = Round.objects.order_by("-year").first()
    if latest is None:
        return {}
    today = timezone.localdate()
    if user.is_unit_member:
        mine = latest.submissions.filter(unit_id=user.unit_id).first()
        if mine is None:
            return {}
        mine.round = latest
        return {
            "round": latest,
            "mine": mine,
            "light": mine.light_on(today),
            "workdays_left": latest.workdays_left(today),
        }
    if user.sees_everything:
        counts = latest.submissions.aggregate(
            total=Count("pk"),
            submitted=Count("pk", filter=Q(status=Submission.Status.SUBMITTED)),
        )
        return {"round": latest, **counts, "workdays_left": latest.workdays_left(today)}
    return {}
