"""The annual round's cards on the home pages: a unit's submission, the office's
open rounds."""

from __future__ import annotations

from django import template
from django.utils import timezone

from ..models import Round, Submission, warning_until

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


@register.simple_tag(takes_context=True)
def annual_office_home(context) -> list[Round]:
    """The rounds still open (pack not issued) for the office's home card, each
    with its counts per status, ``waiting`` (not yet submitted) and ``lights``
    (as the round's page counts them, ``warning_until``): one query for the
    rounds and their counts, whatever the number of submissions."""
    user = context["request"].user
    if not user.is_office:
        return []
    rounds = list(Round.objects.open().with_counts().order_by("-year"))
    if not rounds:
        return []
    today = timezone.localdate()
    warn_until = warning_until(today)
    for round_ in rounds:
        counts = {s: getattr(round_, f"{s}_count") for s in Submission.Status.values}
        round_.counts = counts
        round_.waiting = round_.unit_count - counts[Submission.Status.SUBMITTED]
        round_.lights = round_.light_counts(counts, today, warn_until)
        round_.overdue = today > round_.deadline
    return rounds
