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
    unit_name: str = ""

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
    names: dict[int, str] = {}
    for link in Participant.objects.filter(
        unit_id__in=unit_ids, campaign__status__in=Campaign.REPORTING_STATUSES
    ).select_related("campaign", "unit"):
        campaigns[link.campaign_id] = link.campaign
        members.setdefault(link.campaign_id, set()).add(link.unit_id)
        names[link.unit_id] = link.unit.name
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
                Owed(campaigns[period.campaign_id], period, s, report, names[unit_id])
            )
    return out


def reminder_groups(day: date) -> list[tuple[object, dict[str, list[Owed]]]]:
    """Who hears what in the daily digest about campaigns: the liaisons and heads
    of every unit with a late, due-soon or returned report ("late", "due",
    "returned"), and those of the organising unit about the other units' late
    reports ("others_late"). Nothing for a person with nothing."""
    from members.models import User

    unit_ids = list(
        Participant.objects.filter(campaign__status__in=Campaign.REPORTING_STATUSES)
        .values_list("unit_id", flat=True)
        .distinct()
    )
    owed = owed_by_units(unit_ids, day)
    groups: dict[int, dict[str, list[Owed]]] = {}

    def bucket(unit_id: int) -> dict[str, list[Owed]]:
        return groups.setdefault(
            unit_id, {"late": [], "due": [], "returned": [], "others_late": []}
        )

    for unit_id, items in owed.items():
        for item in items:
            if item.state == "red":
                bucket(unit_id)["late"].append(item)
                if item.campaign.organiser_id != unit_id:
                    bucket(item.campaign.organiser_id)["others_late"].append(item)
            elif item.state == "yellow":
                bucket(unit_id)["due"].append(item)
            elif item.state == "returned":
                bucket(unit_id)["returned"].append(item)
    people = (
        User.objects.filter(
            role__in=[User.Role.LIAISON, User.Role.UNIT_HEAD],
            is_active=True,
            unit_id__in=[u for u, g in groups.items() if any(g.values())],
        )
        .select_related("unit")
        .order_by("unit__order", "role", "id")
    )
    return [(person, groups[person.unit_id]) for person in people]
