"""Campaign dates in the meetings calendar feed (registered in apps.py): each
campaign a person may see as an all-day span, and, for the units that report,
the deadline of each period of a running campaign."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from meetings.ics import FeedEvent

from .models import Campaign, ReportingPeriod

# Deadlines further back than this are not worth a calendar entry.
PAST_DAYS = 90


def campaign_feed_events(user) -> list[FeedEvent]:
    campaigns = list(
        Campaign.objects.visible_to(user).only(
            "pk", "name", "kind", "start_on", "end_on", "status", "updated_at"
        )
    )
    events = [
        FeedEvent(
            uid=f"campaign-{c.pk}",
            summary=f"{c.name}（{c.get_kind_display()}）",
            start=c.start_on,
            end=c.end_on,
            url=c.get_absolute_url(),
            description=str(Campaign.Status(c.status).label),
            last_modified=c.updated_at,
        )
        for c in campaigns
    ]
    if user.is_authenticated and user.is_unit_member:
        since = timezone.localdate() - timedelta(days=PAST_DAYS)
        periods = ReportingPeriod.objects.filter(
            campaign__in=[c.pk for c in campaigns if c.is_reporting],
            due_on__gte=since,
        ).select_related("campaign")
        events += [
            FeedEvent(
                uid=f"campaign-{p.campaign_id}-period-{p.number}",
                summary=f"【报送时限】{p.campaign.name} {p.label}",
                start=p.due_on,
                end=p.due_on,
                url=p.campaign.get_absolute_url(),
            )
            for p in periods
        ]
    return events
