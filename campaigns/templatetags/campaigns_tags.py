"""Template helpers of the campaigns app: the campaigns on a unit's home."""

from __future__ import annotations

from django import template
from django.utils import timezone

from campaigns.inbox import owed_by_units
from campaigns.models import Campaign

register = template.Library()

HOME_LIMIT = 8


@register.simple_tag(takes_context=True)
def unit_campaigns(context) -> dict:
    """The campaigns a unit takes part in (not archived), and the reports it owes."""
    user = context["request"].user
    if not user.is_authenticated or not user.is_unit_member:
        return {}
    today = timezone.localdate()
    campaigns = list(
        Campaign.objects.visible_to(user)
        .for_unit(user.unit)
        .current()
        .select_related("organiser")
        .order_by("-start_on", "-pk")[: HOME_LIMIT + 1]
    )
    owed = owed_by_units([user.unit_id], today).get(user.unit_id, [])
    return {
        "campaigns": campaigns[:HOME_LIMIT],
        "more": len(campaigns) > HOME_LIMIT,
        "late": [o for o in owed if o.state == "red"],
        "returned": [o for o in owed if o.state == "returned"],
        "due": [o for o in owed if o.state in ("yellow", "green")],
    }
