"""The leaders' dashboard and bulletins (工作通报): one small function per URL.

The dashboard is for the office and the leaders (404 for anyone else). Bulletins
are read by the office, the leaders and (issued ones only) the member units;
only the office drafts, edits, issues or discards them. Objects come through
``oversight.access``; changes go through ``oversight.services``.
"""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jinwei_ip.lib.forms import hidden_field_message, rebind_stale
from jinwei_ip.lib.ratelimit import limited
from meetings.models import Meeting
from members.access import sees_everything
from tasks.models import Task

from . import access, bulletins, dashboard, services
from .bulletin_pdf import paragraphs
from .forms import (
    BulletinCampaignsForm,
    BulletinDraftForm,
    BulletinEditForm,
    BulletinFilterForm,
    DashboardFilterForm,
)
from .models import Bulletin

PER_PAGE = 20


# --- dashboard -------------------------------------------------------------


def _selection(
    request: HttpRequest, units: list, *, user=None
) -> tuple[DashboardFilterForm, dashboard.Selection]:
    """The filter form and what it selects; the current year unless the person
    chose another (an empty year means every year). With ``user``, only the
    meetings that person may open can be chosen (a unit must not read another
    meeting's title on a figure list)."""
    params = request.GET.copy()
    if "year" not in params:
        params["year"] = str(dashboard.today().year)
    form = DashboardFilterForm(params, units=units)
    if user is not None and not sees_everything(user):
        field = form.fields["meeting"]
        field.queryset = field.queryset.filter(
            pk__in=Meeting.objects.visible_to(user).values("pk")
        )
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    year = data.get("year")
    return form, dashboard.Selection(
        year=int(year) if year else None,
        meeting=data.get("meeting"),
        unit=data.get("unit"),
    )


FILTER_PARAMS = ("year", "meeting", "unit")


def _body_key(request: HttpRequest) -> str:
    """One cached dashboard per filter, day and language (nothing on the page
    depends on who looks at it: the office and the leaders see the same)."""
    raw = json.dumps(
        [
            [request.GET.getlist(name) for name in FILTER_PARAMS],
            dashboard.today().isoformat(),
            get_language(),
        ]
    )
    return "dashboard-body:" + hashlib.sha256(raw.encode()).hexdigest()


def _render_body(request: HttpRequest, seconds: int) -> str:
    units = dashboard.member_units()
    form, selection = _selection(request, units)
    context = dashboard.dashboard(selection, units=units)
    context.update(form=form, counted_at=timezone.localtime(), cache_seconds=seconds)
    # Rendered without the request, so nothing personal can end up in the cache.
    return render_to_string("oversight/_dashboard_body.html", context)


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The figures are counted at most once a minute per filter (settings.
    DASHBOARD_CACHE_SECONDS): the dashboard was the slowest page under load
    (bench/README.md), and a watch screen does not need them fresher."""
    access.require_dashboard(request.user)
    seconds = settings.DASHBOARD_CACHE_SECONDS
    body = dashboard.once_a_minute(
        _body_key(request), lambda: _render_body(request, seconds)
    )
    # render_to_string gives a SafeString, and the cache keeps its type.
    return render(request, "oversight/dashboard.html", {"body": body})


def _ledger_link(figure: str, selection: dashboard.Selection, lead_only: bool) -> str:
    """The 督办台账 filter showing the same tasks, when the ledger can say it
    (its unit filter is lead or co-unit, and it has no on-time/late filters)."""
    params: dict[str, str] = {"status": ""}
    if selection.duty is not None:  # the ledger has no duty filter
        return ""
    if figure.startswith("light_"):
        params["light"] = figure.removeprefix("light_")
    elif figure == "closed":
        params["status"] = Task.Status.CLOSED
    elif figure != "led":
        return ""
    if selection.unit is not None:
        if lead_only:
            return ""
        params["unit"] = selection.unit.code
    if selection.year:
        params["year"] = str(selection.year)
    if selection.meeting is not None:
        params["meeting"] = str(selection.meeting.pk)
    return reverse("tasks:list") + "?" + urlencode(params)


@require_GET
def figure_list(request: HttpRequest) -> HttpResponse:
    """The tasks behind one figure of the dashboard, the home summary or a unit's
    scorecard (every figure links here with its filter). The office and the
    leaders open any; a unit's people open their own unit's only (404 else)."""
    figure = request.GET.get("figure", "")
    lead_only = request.GET.get("scope") == "lead"
    units = dashboard.member_units()
    user = request.user
    form, selection = _selection(request, units, user=user)
    selection = access.figure_selection_for(
        user, selection, request.GET.get("duty", "")
    )
    overseer = sees_everything(user)
    day = dashboard.today()
    try:
        qs = dashboard.figure_tasks(selection, figure, day, lead_only=lead_only)
    except KeyError:
        raise Http404 from None
    qs = access.visible_figure_tasks(user, qs)
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    if overseer:
        back = (
            reverse("dashboard:index")
            + "?"
            + urlencode(
                {
                    "year": selection.year or "",
                    "meeting": selection.meeting.pk if selection.meeting else "",
                    "unit": selection.unit.code if selection.unit else "",
                }
            )
        )
    else:
        back = selection.unit.get_absolute_url()
    back_label = _("领导看板") if overseer else selection.unit.name
    if selection.duty is not None:
        back, back_label = selection.duty.get_absolute_url(), _("职责分工目录")
    return render(
        request,
        "oversight/dashboard_figure_list.html",
        {
            "form": form,
            "selection": selection,
            "figure": figure,
            "figure_label": dashboard.FIGURE_LABELS[figure],
            "lead_only": lead_only,
            "page": page,
            "tasks": page.object_list,
            "day": day,
            "back": back,
            "back_label": back_label,
            "ledger": _ledger_link(figure, selection, lead_only),
        },
    )


# --- bulletins -------------------------------------------------------------


@require_GET
def bulletin_list(request: HttpRequest) -> HttpResponse:
    access.require_bulletin_reader(request.user)
    form = BulletinFilterForm(request.GET or None)
    qs = access.visible_bulletins(request.user).select_related(
        "created_by", "issued_by"
    )
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            qs = qs.filter(bulletins.search_q(data["q"]))
        if data["year"]:
            qs = qs.filter(period_start__year=int(data["year"]))
        if data["status"]:
            qs = qs.filter(status=data["status"])
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "oversight/bulletin_list.html",
        {"form": form, "page": page, "bulletins": page.object_list},
    )


@require_http_methods(["GET", "POST"])
def bulletin_new(request: HttpRequest) -> HttpResponse:
    access.require_bulletin_writer(request.user)
    form = BulletinDraftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            bulletin = services.bulletin_draft(
                period=data["period"],
                year=data["year"],
                index=form.index,
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已依据数据起草通报，请核对并修改正文后印发。"))
            others = list(bulletins.same_period(bulletin))
            if others:
                messages.warning(
                    request,
                    _(
                        "本期已有 %(n)d 份通报（%(list)s），请勿重复印发；"
                        "不需要的草稿请删除。"
                    )
                    % {
                        "n": len(others),
                        "list": "、".join(
                            bulletins.number_label(b) or _("草稿") for b in others
                        ),
                    },
                )
            return redirect(bulletin)
    return render(request, "oversight/bulletin_new.html", {"form": form})


@require_GET
def bulletin_detail(request: HttpRequest, pk: int) -> HttpResponse:
    bulletin = access.get_bulletin_for(request.user, pk)
    return render(
        request,
        "oversight/bulletin_detail.html",
        {
            "bulletin": bulletin,
            "figures": bulletin.figures,
            "number": bulletins.number_label(bulletin),
            "paragraphs": paragraphs(bulletin.narrative),
            "issuer": bulletins.ISSUER,
        },
    )


def _frozen(request: HttpRequest, bulletin: Bulletin) -> HttpResponse:
    return render(
        request, "oversight/bulletin_frozen.html", {"bulletin": bulletin}, status=403
    )


@require_http_methods(["GET", "POST"])
def bulletin_edit(request: HttpRequest, pk: int) -> HttpResponse:
    bulletin = access.get_bulletin_for_office(request.user, pk)
    if bulletin.status == Bulletin.Status.ISSUED:
        return _frozen(request, bulletin)
    form = BulletinEditForm(
        request.POST or None,
        initial={
            "title": bulletin.title,
            "narrative": bulletin.narrative,
            "version": bulletin.edit_version,
        },
    )
    stale = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.bulletin_edit(
                bulletin=bulletin,
                title=data["title"],
                narrative=data["narrative"],
                version=data["version"],
                by=request.user,
            )
        except services.Frozen:
            bulletin.refresh_from_db()
            return _frozen(request, bulletin)
        except services.StaleEdit as error:
            stale = True
            bulletin.refresh_from_db()
            form = rebind_stale(
                BulletinEditForm,
                request.POST,
                version=bulletin.edit_version,
                error=error,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("通报正文已保存。"))
            return redirect(bulletin)
    return render(
        request,
        "oversight/bulletin_edit.html",
        {
            "bulletin": bulletin,
            "form": form,
            "stale": stale,
            "campaigns_form": _campaigns_form(bulletin),
        },
    )


def _campaigns_form(bulletin: Bulletin, data=None) -> BulletinCampaignsForm:
    cited = [c["id"] for c in (bulletin.figures or {}).get("campaigns", [])]
    return BulletinCampaignsForm(
        data,
        bulletin=bulletin,
        initial={"campaigns": cited, "version": bulletin.edit_version},
    )


@require_POST
def bulletin_campaigns(request: HttpRequest, pk: int) -> HttpResponse:
    """The office chooses which campaigns' figures the draft cites."""
    bulletin = access.get_bulletin_for_office(request.user, pk)
    if bulletin.status == Bulletin.Status.ISSUED:
        return _frozen(request, bulletin)
    form = _campaigns_form(bulletin, request.POST)
    if form.is_valid():
        try:
            services.bulletin_cite_campaigns(
                bulletin=bulletin,
                campaigns=list(form.cleaned_data["campaigns"]),
                version=form.cleaned_data["version"],
                by=request.user,
            )
        except ValidationError as error:
            messages.error(request, "；".join(str(m) for m in error.messages))
        else:
            messages.success(request, _("通报引用的专项行动数据已更新。"))
            return redirect(bulletin)
    else:
        messages.error(request, _("请重新选择要引用的专项行动。"))
    return redirect("dashboard:bulletin_edit", pk=bulletin.pk)


@require_POST
def bulletin_issue(request: HttpRequest, pk: int) -> HttpResponse:
    bulletin = access.get_bulletin_for_office(request.user, pk)
    version = request.POST.get("version")
    if version is not None and not (version.isascii() and version.isdigit()):
        # a tampered hidden field: not a reason to issue without the check
        messages.error(request, hidden_field_message())
        return redirect(bulletin)
    try:
        bulletin = services.bulletin_issue(
            bulletin=bulletin,
            by=request.user,
            version=int(version) if version else None,
        )
    except services.Frozen:
        return _frozen(request, bulletin)
    except services.StaleEdit:
        messages.error(request, _("通报在您打开后已被修改，请核对最新正文后再印发。"))
        return redirect(bulletin)
    messages.success(
        request,
        _("通报已印发（%(number)s），已通知各成员单位。")
        % {"number": bulletins.number_label(bulletin)},
    )
    return redirect(bulletin)


@require_POST
def bulletin_discard(request: HttpRequest, pk: int) -> HttpResponse:
    bulletin = access.get_bulletin_for_office(request.user, pk)
    try:
        services.bulletin_discard(bulletin=bulletin, by=request.user)
    except services.Frozen:
        return _frozen(request, bulletin)
    messages.success(request, _("通报草稿已删除。"))
    return redirect("dashboard:bulletins")


@require_GET
@limited("pdf")
def bulletin_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The bulletin's PDF is made by the job worker (``oversight.background``): the
    request only hands it over and shows the progress page."""
    from jobs.services import job_start

    bulletin = access.get_bulletin_for(request.user, pk)
    job = job_start(
        owner=request.user,
        kind="bulletin_pdf",
        title=_("%(title)s（PDF）") % {"title": bulletin.title},
        params={"bulletin": bulletin.pk},
        back_url=bulletin.get_absolute_url(),
    )
    return redirect(job)
