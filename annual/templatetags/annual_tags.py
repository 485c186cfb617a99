"""The annual round's card on a unit's home page."""

from __future__ import annotations

from django import template
from django.utils import timezone

from ..models import Submission

register = template.Library()


@register.simple_tag(takes_context=True)
def annual_home(context) -> dict:
    """The unit's submission in the latest round, for its accounts' home card
    (one query, and the working days counted)."""
    user = context["request"].user
    if not user.is_unit_member:
        return {}
    mine = (
        Submission.objects.filter(unit_id=user.unit_id)
        .select_related("round")
        .order_by("-round__year")
        .first()
    )
    if mine is None:
        return {}
    today = timezone.localdate()
    return {
        "round": mine.round,
        "mine": mine,
        "light": mine.light_on(today),
        "workdays_left": mine.round.workdays_left(today),
    }
