"""Campaigns' unit reports in the browser: filing figures and typical cases,
reading a report, returning it, reminding, and the evidence files."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from jinwei_ip.lib.audit import export_event

from . import reports, services
from .access import (
    campaign_actions,
    get_campaign_for,
    get_campaign_for_lead,
    get_evidence_for,
    get_report_for,
    may_report,
)
from .forms import (
    CaseFormSet,
    ReportForm,
    ReturnForm,
)
from .models import (
    ReportEvidence,
    ReportingPeriod,
    UnitReport,
)
from .views import _add_errors, _error_text

# --- reports -------------------------------------------------------------------


def _cases_initial(report: UnitReport | None) -> list[dict]:
    if report is None:
        return []
    return [
        {
            "title": c.title,
            "summary": c.summary,
            "amount": c.amount,
            "penalty": c.penalty,
        }
        for c in report.cases.all()
    ]


def report_file(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """A unit files or corrects its report for period ``number``."""
    user = request.user
    campaign = get_campaign_for(user, pk)
    if not may_report(user, campaign):
        raise PermissionDenied
    period = get_object_or_404(ReportingPeriod, campaign=campaign, number=number)
    refusal = reports.report_refusal(campaign, period, user.unit)
    if refusal:
        messages.info(request, refusal)
        return redirect(campaign)
    report = (
        UnitReport.objects.filter(period=period, unit=user.unit)
        .prefetch_related("figures", "cases", "evidence")
        .first()
    )
    links = reports.required_links(campaign, user.unit)
    initial = {"version": report.edit_version if report else 0}
    if report is not None:
        initial["narrative"] = report.narrative
        for figure in report.figures.all():
            initial[f"ind_{figure.indicator_id}"] = figure.value.normalize()
            if figure.note:
                initial[f"note_{figure.indicator_id}"] = figure.note
    form = ReportForm(
        request.POST or None,
        request.FILES or None,
        links=links,
        unit=user.unit,
        period=period,
        evidence=report.evidence.all() if report else (),
        initial=initial,
    )
    cases = CaseFormSet(
        request.POST or None, prefix="cases", initial=_cases_initial(report)
    )
    stale = False
    if request.method == "POST" and form.is_valid() and cases.is_valid():
        try:
            saved = reports.report_file(
                campaign=campaign,
                period=period,
                by=user,
                version=form.cleaned_data["version"],
                narrative=form.cleaned_data["narrative"],
                values=form.values(),
                notes=form.notes(),
                cases=[
                    reports.CaseInput(
                        title=c["title"],
                        summary=c["summary"],
                        amount=c.get("amount"),
                        penalty=c.get("penalty"),
                    )
                    for c in cases.cases()
                ],
                files=form.cleaned_data["files"],
                remove_evidence=form.cleaned_data.get("remove_evidence", []),
            )
        except services.StaleEdit as error:
            # the person's input stays; the version moves to the current one so
            # a deliberate second submit replaces what the other person saved
            stale = True
            current = UnitReport.objects.get(period=period, unit=user.unit)
            data = request.POST.copy()
            data["version"] = str(current.edit_version)
            form = ReportForm(
                data,
                links=links,
                unit=user.unit,
                period=period,
                evidence=current.evidence.all(),
            )
            form.is_valid()
            form.add_error(None, error)
            report = current
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("%(p)s的报表已报送。") % {"p": period.label},
            )
            return redirect(saved)
    return render(
        request,
        "campaigns/report_form.html",
        {
            "campaign": campaign,
            "period": period,
            "form": form,
            "cases": cases,
            "report": report,
            "stale": stale,
        },
    )


@require_GET
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for(request.user, pk)
    campaign = report.campaign
    actions = campaign_actions(request.user, campaign)
    figures = list(
        report.figures.select_related("indicator").order_by("indicator__order")
    )
    from .figures import fmt

    for figure in figures:
        figure.shown = fmt(figure.value, figure.indicator)
    mine = request.user.is_unit_member and request.user.unit_id == report.unit_id
    return render(
        request,
        "campaigns/report_detail.html",
        {
            "report": report,
            "campaign": campaign,
            "period": report.period,
            "figures": figures,
            "cases": report.cases.all(),
            "evidence": report.evidence.all(),
            "actions": actions,
            "may_edit": mine and actions["report"],
            "may_return": actions["return"] and not reports.return_refusal(report),
            "return_form": ReturnForm(),
        },
    )


@require_POST
def report_return(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for(request.user, pk)
    get_campaign_for_lead(request.user, report.campaign_id)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写退回理由。"))
        return redirect(report)
    try:
        reports.report_return(
            report=report, by=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request,
            _("已退回%(u)s %(p)s的报表。")
            % {"u": report.unit.name, "p": report.period.label},
        )
    return redirect(report)


@require_POST
def campaign_remind(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    campaign = get_campaign_for_lead(request.user, pk)
    period = get_object_or_404(ReportingPeriod, campaign=campaign, number=number)
    try:
        units = reports.campaign_remind(
            campaign=campaign, period=period, by=request.user
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request,
            _("已向 %(u)s 催报%(p)s的数据。")
            % {"u": "、".join(u.name for u in units), "p": period.label},
        )
    return redirect(campaign.get_absolute_url() + "#status")


@require_GET
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    """Evidence is never served by the web server: only here, after the check."""
    evidence: ReportEvidence = get_evidence_for(request.user, pk)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    export_event(request, "campaign_evidence", evidence)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type or "application/octet-stream",
    )
    response["Cache-Control"] = "private, no-store"
    return response
