"""What a unit owes its campaigns: due, late and returned reports (the unit's
home, and the daily digest)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .models import Campaign, Participant, ReportingPeriod, UnitReport
from .reporting import state, warn_until


@dataclass
class Owed:
    campaign: Campaign
    period: ReportingPeriod
    state: str  # "red" (late), "yellow" (due soon), "green" (open), "returned"
    report: UnitReport | None = None

    @property
    def url(self) -> str:
        if self.report is not None:
            return self.report.get_absolute_url()
        return self.campaign.get_absolute_url()


def owed_by_units(unit_ids: list[int], today: date) -> dict[int, list[Owed]]:
    """{unit id: reports it owes} over the running campaigns (three queries, one
    when the units take part in none)."""
    # the running campaigns and which of the units take part, in one query
    members: dict[int, set[int]] = {}
    campaigns: dict[int, Campaign] = {}
    for link in Participant.objects.filter(
        unit_id__in=unit_ids, campaign__status__in=Campaign.REPORTING_STATUSES
    ).select_related("campaign"):
        campaigns[link.campaign_id] = link.campaign
        members.setdefault(link.campaign_id, set()).add(link.unit_id)
    if not campaigns:
        return {}
    periods = list(
        ReportingPeriod.objects.filter(
            campaign_id__in=list(campaigns), start_on__lte=today
        ).order_by("due_on", "number")
    )
    reports = {
        (r.period_id, r.unit_id): r
        for r in UnitReport.objects.filter(
            campaign_id__in=list(campaigns), unit_id__in=unit_ids
        )
    }
    until = warn_until(today)
    out: dict[int, list[Owed]] = {}
    for period in periods:
        for unit_id in members.get(period.campaign_id, ()):
            report = reports.get((period.pk, unit_id))
            s = state(period, report, today, until)
            if s in ("done", "future"):
                continue
            out.setdefault(unit_id, []).append(
                Owed(campaigns[period.campaign_id], period, s, report)
            )
    return out
