"""Pages of the campaigns app: one small function per URL and action.

Objects come through ``campaigns.access`` (404 if not visible, 403 if visible
but not allowed); changes go through ``campaigns.services``.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from jinwei_ip.lib.audit import export_event
from jinwei_ip.lib.ratelimit import limited
from meetings.models import Decision
from members.access import require_office
from members.models import Unit, User
from tasks.models import Task

from . import services
from .access import (
    campaign_actions,
    get_campaign_for,
    get_campaign_for_office,
)
from .figures import campaign_table
from .forms import (
    CampaignFilterForm,
    CampaignForm,
    IndicatorUnitsForm,
    ReturnForm,
    SummaryForm,
)
from .models import (
    Campaign,
    CampaignIndicator,
    Indicator,
    TypicalCase,
    UnitReport,
)
from .reporting import current_period, status_grid

PER_PAGE = 20


def _error_text(error: ValidationError) -> str:
    return "；".join(str(m) for m in error.messages)


def _add_errors(form, error: ValidationError) -> None:
    """A service's refusal onto the form: per field when it names form fields."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


# --- list ------------------------------------------------------------------


def filtered_campaigns(
    user: User, params
) -> tuple[CampaignFilterForm, QuerySet[Campaign]]:
    form = CampaignFilterForm(params)
    form.is_valid()
    data = form.cleaned_data
    reports = (
        UnitReport.objects.filter(
            campaign=OuterRef("pk"), status=UnitReport.Status.SUBMITTED
        )
        .order_by()
        .values("campaign")
        .annotate(n=Count("pk"))
        .values("n")
    )
    qs = (
        Campaign.objects.visible_to(user)
        .select_related("organiser")
        .annotate(
            unit_count=Count("participant_links", distinct=True),
            report_count=Coalesce(Subquery(reports), 0),
        )
    )
    if data.get("q"):
        qs = qs.filter(
            Q(name__icontains=data["q"]) | Q(description__icontains=data["q"])
        )
    if data.get("kind"):
        qs = qs.filter(kind=data["kind"])
    if data.get("status") == "open":
        qs = qs.filter(status__in=Campaign.OPEN_STATUSES)
    elif data.get("status"):
        qs = qs.filter(status=data["status"])
    if data.get("unit"):
        qs = qs.filter(pk__in=Campaign.objects.for_unit(data["unit"]).values("pk"))
    if data.get("year"):
        qs = qs.filter(start_on__year=data["year"])
    return form, qs.order_by("-start_on", "-pk")


@require_GET
def campaign_list(request: HttpRequest) -> HttpResponse:
    form, qs = filtered_campaigns(request.user, request.GET)
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "campaigns/campaign_list.html",
        {"form": form, "page": page, "campaigns": page.object_list},
    )


# --- the campaign page -------------------------------------------------------


def _indicators(campaign: Campaign) -> list[CampaignIndicator]:
    return list(
        campaign.indicator_links.select_related("indicator").prefetch_related("units")
    )


@require_GET
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    campaign = get_campaign_for(user, pk)
    actions = campaign_actions(user, campaign)
    today = timezone.localdate()
    units = list(Unit.objects.filter(campaigns=campaign).order_by("order", "pk"))
    links = _indicators(campaign)
    indicators = [link.indicator for link in links]
    periods = list(campaign.periods.all())
    reports = list(
        campaign.reports.prefetch_related(
            Prefetch("cases", TypicalCase.objects.order_by("order", "pk"))
        )
    )
    table = campaign_table(campaign, indicators, units, periods)
    grid = status_grid(periods, units, reports, today)
    my_unit_id = user.unit_id if user.is_unit_member else None
    if not actions["sees_status"]:
        grid = [row for row in grid if row["unit"].pk == my_unit_id]
    unit_names = {u.pk: u.name for u in units}
    period_labels = {p.pk: p.label for p in periods}
    cases = [
        {
            "case": case,
            "unit": unit_names.get(report.unit_id, ""),
            "period": period_labels.get(report.period_id, ""),
            "report": report,
        }
        for report in reports
        if not report.is_returned
        for case in report.cases.all()
    ]
    events = list(campaign.events.select_related("actor", "unit")[:50])
    owing = [
        period
        for n, period in enumerate(periods)
        if any(row["cells"][n].needs_reminder for row in grid)
    ]
    mine = next((row for row in grid if row["unit"].pk == my_unit_id), None)
    return render(
        request,
        "campaigns/campaign_detail.html",
        {
            "campaign": campaign,
            "actions": actions,
            "units": units,
            "links": links,
            "table": table,
            "periods": periods,
            "grid": grid,
            "current": current_period(periods, today),
            "owing_periods": owing if actions["remind"] else [],
            "my_row": mine if actions["report"] else None,
            "cases": cases,
            "events": events,
            "duties": campaign.duties.select_related("unit"),
            "my_unit_id": my_unit_id,
            "return_form": ReturnForm(),
            "advance_refusal": services.advance_refusal(
                campaign, has_indicators=bool(links)
            )
            if actions["advance"]
            else "",
            "next_status": campaign.next_status
            and Campaign.Status(campaign.next_status).label,
            "today": today,
        },
    )


# --- creating and editing (the office) -----------------------------------------


def _origin(request: HttpRequest) -> tuple[Decision | None, Task | None]:
    decision = task = None
    source = request.GET if request.method == "GET" else request.POST
    if source.get("decision"):
        try:
            decision = get_object_or_404(
                Decision.objects.select_related("minutes__meeting"),
                pk=int(source["decision"]),
            )
        except ValueError as error:
            raise Http404 from error
    if source.get("task"):
        try:
            task = get_object_or_404(
                Task.objects.select_related("lead_unit"), pk=int(source["task"])
            )
        except ValueError as error:
            raise Http404 from error
    return decision, task


def campaign_create(request: HttpRequest) -> HttpResponse:
    require_office(request.user)
    decision, task = _origin(request)
    initial = {}
    if task is not None:
        initial = {
            "name": task.title,
            "organiser": task.lead_unit,
            "units": [task.lead_unit, *task.co_units.all()],
            "duties": task.duties.filter(is_joint=True),
            "description": task.description,
            "kind": (
                Campaign.Kind.PUBLICITY
                if "宣传" in task.title
                else Campaign.Kind.ENFORCEMENT
                if "执法" in task.title
                else Campaign.Kind.OTHER
            ),
        }
    elif decision is not None:
        suggested = [
            link.unit
            for link in decision.unit_links.select_related("unit").order_by("position")
        ]
        initial = {
            "description": decision.text,
            "organiser": suggested[0] if suggested else None,
            "units": suggested,
        }
    form = CampaignForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign = services.campaign_create(
                kind=data["kind"],
                name=data["name"],
                start_on=data["start_on"],
                end_on=data["end_on"],
                schedule=data["schedule"],
                dates=data["dates"],
                organiser=data["organiser"],
                units=data["units"],
                duties=data["duties"],
                description=data["description"],
                indicators=list(data["indicators"]) or None,
                decision=decision,
                task=task,
                by=request.user,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("专项行动已创建（筹备阶段）。"))
            return redirect(campaign)
    return render(
        request,
        "campaigns/campaign_form.html",
        {"form": form, "decision": decision, "task": task, "campaign": None},
    )


def campaign_edit(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_campaign_for_office(request.user, pk)
    if campaign.status == Campaign.Status.ARCHIVED:
        messages.info(request, _("活动已归档，不能再修改。"))
        return redirect(campaign)
    locked = not services.may_change_plan(campaign)
    periods = list(campaign.periods.all())
    initial = {
        "kind": campaign.kind,
        "name": campaign.name,
        "start_on": campaign.start_on,
        "end_on": campaign.end_on,
        "schedule": campaign.schedule,
        "dates": "\n".join(p.end_on.isoformat() for p in periods[:-1]),
        "organiser": campaign.organiser,
        "units": list(campaign.units.all()),
        "indicators": [link.indicator for link in campaign.indicator_links.all()],
        "duties": list(campaign.duties.all()),
        "description": campaign.description,
    }
    form = CampaignForm(request.POST or None, initial=initial, plan_locked=locked)
    version = request.POST.get("version", campaign.edit_version)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        plan = {}
        if not locked:
            plan = {
                "organiser": data["organiser"],
                "units": data["units"],
                "start_on": data["start_on"],
                "end_on": data["end_on"],
                "schedule": data["schedule"],
                "dates": data["dates"],
                "indicators": list(data["indicators"])
                or list(
                    Indicator.objects.filter(default_for=data["kind"], is_active=True)
                ),
            }
        try:
            version = int(version)
            services.campaign_edit(
                campaign=campaign,
                by=request.user,
                version=version,
                name=data["name"],
                description=data["description"],
                duties=data["duties"],
                **plan,
            )
        except (TypeError, ValueError):
            form.add_error(None, _("表单已过期，请重新打开后再提交。"))
        except services.StaleEdit as error:
            campaign.refresh_from_db()
            version = campaign.edit_version
            form.add_error(None, error)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("活动信息已保存。"))
            return redirect(campaign)
    return render(
        request,
        "campaigns/campaign_form.html",
        {"form": form, "campaign": campaign, "version": version, "locked": locked},
    )


def campaign_indicators(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_campaign_for_office(request.user, pk)
    if campaign.status not in (Campaign.Status.PREPARING, Campaign.Status.ACTIVE):
        messages.info(request, _("活动进入总结后不能再调整指标的报送单位。"))
        return redirect(campaign)
    units = list(Unit.objects.filter(campaigns=campaign).order_by("order"))
    links = _indicators(campaign)
    form = IndicatorUnitsForm(
        request.POST or None,
        campaign=campaign,
        units=units,
        links=links,
        initial={"version": campaign.edit_version},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_indicator_units(
                campaign=campaign,
                by=request.user,
                version=form.cleaned_data["version"],
                required=form.required(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("各指标的报送单位已保存。"))
            return redirect(campaign)
    return render(
        request,
        "campaigns/indicator_units.html",
        {"form": form, "campaign": campaign, "links": links},
    )


@require_POST
def campaign_advance(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_campaign_for_office(request.user, pk)
    try:
        services.campaign_advance(
            campaign=campaign, by=request.user, to=request.POST.get("to", "")
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        campaign.refresh_from_db()
        messages.success(
            request,
            _("活动已进入“%(s)s”阶段。") % {"s": campaign.get_status_display()},
        )
    return redirect(campaign)


def campaign_summary(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_campaign_for_office(request.user, pk)
    if campaign.status != Campaign.Status.SUMMARISING:
        messages.info(request, _("活动进入总结阶段后才能撰写总结。"))
        return redirect(campaign)
    form = SummaryForm(
        request.POST or None,
        initial={"summary": campaign.summary, "version": campaign.edit_version},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_summary_edit(
                campaign=campaign,
                by=request.user,
                version=form.cleaned_data["version"],
                summary=form.cleaned_data["summary"],
            )
        except services.StaleEdit as error:
            campaign.refresh_from_db()
            data = request.POST.copy()
            data["version"] = str(campaign.edit_version)
            form = SummaryForm(data)
            form.is_valid()
            form.add_error(None, error)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("总结正文已保存。"))
            return redirect(campaign)
    return render(
        request, "campaigns/summary_form.html", {"form": form, "campaign": campaign}
    )


# --- outputs -------------------------------------------------------------------


@require_GET
@limited("pdf")
def summary_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The summary's PDF is made by the job worker (``campaigns.background``): the
    request only hands it over and shows the progress page."""
    from jobs.services import job_start

    campaign = get_campaign_for(request.user, pk)
    job = job_start(
        owner=request.user,
        kind="campaign_summary_pdf",
        title=_("%(title)s（PDF）") % {"title": campaign.summary_title},
        params={"campaign": campaign.pk},
        back_url=campaign.get_absolute_url(),
    )
    return redirect(job)


@require_GET
@limited("export")
def figures_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    from .exports import figures_workbook

    campaign = get_campaign_for(request.user, pk)
    data = figures_workbook(campaign)
    export_event(request, "campaign_figures_xlsx", campaign)
    response = HttpResponse(
        data,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = content_disposition_header(
        True, f"{campaign.name}-数据.xlsx"
    )
    return response
