"""Who may see or act on a campaign: the one access helper of the campaigns app.

404 for people who may not see a campaign (units not taking part); 403 for
people who see it but may not do the action. Unit rights are object permissions
granted by ``members.grants.grant_campaign_access`` (called by the services):

- participating unit: campaigns.view_campaign, campaigns.report_campaign
- organising unit:    also campaigns.lead_campaign
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from members.access import has_object_perm, may_view
from members.grants import CAMPAIGN_LEAD, CAMPAIGN_REPORT, CAMPAIGN_VIEW
from members.models import User

from .models import Campaign, ReportEvidence, UnitReport

VIEW = CAMPAIGN_VIEW
REPORT = CAMPAIGN_REPORT
LEAD = CAMPAIGN_LEAD


def get_campaign_for(user: User, pk: int, perm: str | None = None) -> Campaign:
    campaign = get_object_or_404(
        Campaign.objects.select_related(
            "organiser", "decision__minutes__meeting", "task"
        ),
        pk=pk,
    )
    if not may_view(user, campaign, VIEW):
        raise Http404
    if perm is not None and not has_object_perm(user, perm, campaign):
        raise PermissionDenied
    return campaign


def get_campaign_for_office(user: User, pk: int) -> Campaign:
    campaign = get_campaign_for(user, pk)
    if not user.is_office:
        raise PermissionDenied
    return campaign


def may_lead(user: User, campaign: Campaign) -> bool:
    """The office and the organising unit follow up reports (remind, return)."""
    return user.is_office or (
        user.is_unit_member and has_object_perm(user, LEAD, campaign)
    )


def may_report(user: User, campaign: Campaign) -> bool:
    return user.is_unit_member and has_object_perm(user, REPORT, campaign)


def get_campaign_for_lead(user: User, pk: int) -> Campaign:
    campaign = get_campaign_for(user, pk)
    if not may_lead(user, campaign):
        raise PermissionDenied
    return campaign


def get_report_for(user: User, pk: int) -> UnitReport:
    """A unit report: every viewer of its campaign may read it."""
    report = get_object_or_404(
        UnitReport.objects.select_related(
            "campaign__organiser", "period", "unit", "author", "returned_by"
        ),
        pk=pk,
    )
    if not may_view(user, report.campaign, VIEW):
        raise Http404
    return report


def get_evidence_for(user: User, pk: int) -> ReportEvidence:
    evidence = get_object_or_404(
        ReportEvidence.objects.select_related("report__campaign"), pk=pk
    )
    if not may_view(user, evidence.report.campaign, VIEW):
        raise Http404
    return evidence


def campaign_actions(user: User, campaign: Campaign) -> dict[str, bool]:
    """What the campaign page offers this person (the services refuse the same)."""
    office = user.is_office
    lead = may_lead(user, campaign)
    S = Campaign.Status
    reporting = campaign.status in Campaign.REPORTING_STATUSES
    return {
        "edit": office and campaign.status != S.ARCHIVED,
        "indicators": office and campaign.status in (S.PREPARING, S.ACTIVE),
        "advance": office and campaign.status != S.ARCHIVED,
        "summary": office and campaign.status == S.SUMMARISING,
        "remind": lead and reporting,
        "return": lead and reporting,
        "report": may_report(user, campaign) and reporting,
        "lead": lead,
        "sees_status": lead or user.sees_everything,
    }
