"""Campaign workflows: the only place campaigns change, reports are filed and
returned, grants are written (through members.grants) and units are told.

Every change to a report or a campaign names the ``edit_version`` it started
from; a conditional UPDATE takes it, so the second of two people editing at once
is refused (``StaleEdit``) and never merged silently.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from duties.models import DutyClause
from jinwei_ip.lib.forms import StaleEdit  # the portal's one stale-edit refusal
from jinwei_ip.lib.workdays import is_workday
from meetings.models import Decision
from members.grants import grant_campaign_access
from members.models import Unit, User
from notices.services import notify, unit_people
from tasks.models import Task, WorkdayOverride

from . import inputs
from .figures import forget_year
from .models import (
    Campaign,
    CampaignEvent,
    CampaignIndicator,
    Indicator,
    Participant,
    ReportingPeriod,
)

S = Campaign.Status
# A period's reports are due this many working days after it ends.
REPORT_WORKDAYS = 2


# --- reporting periods -------------------------------------------------------


def period_bounds(
    start: date, end: date, schedule: str, dates: Sequence[date] = ()
) -> list[tuple[date, date]]:
    """The (first day, last day) of each reporting period."""
    if schedule == Campaign.Schedule.WEEKLY:
        ends = []
        day = start + timedelta(days=6 - start.weekday())  # the first Sunday
        while day < end:
            ends.append(day)
            day += timedelta(days=7)
    elif schedule == Campaign.Schedule.MONTHLY:
        ends = []
        day = start
        while True:
            last = date(
                day.year, day.month, calendar.monthrange(day.year, day.month)[1]
            )
            if last >= end:
                break
            ends.append(last)
            day = last + timedelta(days=1)
    elif schedule == Campaign.Schedule.DATES:
        ends = sorted({d for d in dates if start <= d < end})
    else:
        ends = []
    ends.append(end)
    bounds, first = [], start
    for last in ends:
        bounds.append((first, last))
        first = last + timedelta(days=1)
    return bounds


def due_dates(ends: Sequence[date], workdays: int = REPORT_WORKDAYS) -> list[date]:
    """``workdays`` working days after each end, with the office's calendar read once."""
    if not ends:
        return []
    overrides = dict(
        WorkdayOverride.objects.filter(
            day__range=(min(ends), max(ends) + timedelta(days=workdays * 3 + 30))
        ).values_list("day", "is_workday")
    )
    out = []
    for end in ends:
        day, left = end, workdays
        while left:
            day += timedelta(days=1)
            if is_workday(day, overrides):
                left -= 1
        out.append(day)
    return out


def check_dates(start: date, end: date, schedule: str, dates: Sequence[date]) -> None:
    if end < start:
        raise ValidationError({"end_on": _("结束日期不能早于开始日期。")})
    if schedule == Campaign.Schedule.DATES:
        outside = [d for d in dates if not start <= d <= end]
        if outside:
            raise ValidationError(
                {
                    "dates": _("报送日期 %(d)s 不在活动期间（%(s)s 至 %(e)s）内。")
                    % {"d": outside[0].isoformat(), "s": start, "e": end}
                }
            )
        if not dates:
            raise ValidationError({"dates": _("请填写至少一个报送日期。")})
    if len(period_bounds(start, end, schedule, dates)) > 120:
        raise ValidationError(
            {"schedule": _("报送期超过 120 期，请选择较长的报送周期。")}
        )


def _make_periods(campaign: Campaign, dates: Sequence[date]) -> None:
    campaign.periods.all().delete()
    bounds = period_bounds(campaign.start_on, campaign.end_on, campaign.schedule, dates)
    dues = due_dates([last for _first, last in bounds])
    ReportingPeriod.objects.bulk_create(
        ReportingPeriod(
            campaign=campaign, number=n, start_on=first, end_on=last, due_on=due
        )
        for n, ((first, last), due) in enumerate(zip(bounds, dues, strict=True), 1)
    )


# --- helpers -----------------------------------------------------------------


def _event(
    campaign: Campaign, kind: str, by: User, *, unit: Unit | None = None, note: str = ""
) -> CampaignEvent:
    """Record a step of the campaign's life. Every change records one, so this is
    also where the dashboard's cached figures of the campaign's year are dropped
    (after the commit; a rolled-back change keeps them)."""
    year = campaign.start_on.year
    transaction.on_commit(lambda: forget_year(year))
    return CampaignEvent.objects.create(
        campaign=campaign, kind=kind, actor=by, unit=unit, note=note
    )


def _claim(campaign: Campaign, version: int | None, statuses=None) -> Campaign:
    qs = Campaign.objects.filter(pk=campaign.pk)
    if version is not None:
        qs = qs.filter(edit_version=version)
    if statuses is not None:
        qs = qs.filter(status__in=list(statuses))
    if not qs.update(edit_version=F("edit_version") + 1):
        fresh = Campaign.objects.get(pk=campaign.pk)
        if version is not None and fresh.edit_version != version:
            raise StaleEdit(
                _(
                    "该活动已被他人修改（当前为第 %(v)d 版），您的修改未保存。"
                    "请核对最新内容后再提交，您填写的内容已保留在下方。"
                )
                % {"v": fresh.edit_version}
            )
        raise ValidationError(
            _("活动当前状态为“%(s)s”，不能执行此操作。")
            % {"s": fresh.get_status_display()}
        )
    return Campaign.objects.select_for_update().get(pk=campaign.pk)


def _check_units(organiser: Unit, units: Iterable[Unit]) -> list[Unit]:
    chosen = {u.pk: u for u in units}
    chosen.setdefault(organiser.pk, organiser)  # the organiser reports too
    return sorted(chosen.values(), key=lambda u: (u.order, u.pk))


def _check_duties(duties: Iterable[DutyClause], units: list[Unit]) -> list[DutyClause]:
    ids = {u.pk for u in units}
    duties = list(duties)
    for duty in duties:
        if not duty.is_joint:
            raise ValidationError(
                {"duties": _("“%(d)s”不是联合职责条款。") % {"d": duty.code}}
            )
        if duty.unit_id not in ids:
            raise ValidationError(
                {
                    "duties": _("职责条款 %(d)s 属于%(u)s，该单位不是参加单位。")
                    % {"d": duty.code, "u": duty.unit.name}
                }
            )
    return duties


def _origin(decision: Decision | None, task: Task | None) -> None:
    if decision is not None and task is not None:
        raise ValidationError(_("活动来源只能是一个议定事项或一项计划任务。"))
    if task is not None and task.plan_id is None:
        raise ValidationError(_("只有年度工作计划的任务可以作为活动来源。"))


def _notify_units(
    campaign: Campaign, units: Iterable[Unit], text: str, *, mail: bool = False
) -> None:
    notify(
        unit_people(units),
        text=text,
        url=campaign.get_absolute_url(),
        subject=(_("【专项行动】%(t)s") % {"t": text}) if mail else None,
    )


# --- campaigns ---------------------------------------------------------------


@transaction.atomic
def campaign_create(
    *,
    kind: str,
    name: str,
    start_on: date,
    end_on: date,
    schedule: str,
    dates: Sequence[date] = (),
    organiser: Unit,
    units: Iterable[Unit],
    duties: Iterable[DutyClause] = (),
    description: str = "",
    indicators: Iterable[Indicator] | None = None,
    decision: Decision | None = None,
    task: Task | None = None,
    by: User,
) -> Campaign:
    """A new campaign in 筹备, with its periods, indicators (the kind's defaults
    unless chosen) and the units' grants."""
    if not by.is_office:
        raise ValidationError(_("只有办公室可以创建专项行动。"))
    inputs.campaign_input(
        name=name,
        description=description,
        start_on=start_on,
        end_on=end_on,
        dates=dates,
    )
    check_dates(start_on, end_on, schedule, dates)
    _origin(decision, task)
    units = _check_units(organiser, units)
    duties = _check_duties(duties, units)
    campaign = Campaign.objects.create(
        kind=kind,
        name=name.strip(),
        start_on=start_on,
        end_on=end_on,
        schedule=schedule,
        organiser=organiser,
        decision=decision,
        task=task,
        description=description.strip(),
        created_by=by,
    )
    Participant.objects.bulk_create(
        Participant(campaign=campaign, unit=u) for u in units
    )
    campaign.duties.set(duties)
    if indicators is None:
        indicators = Indicator.objects.filter(default_for=kind, is_active=True)
    CampaignIndicator.objects.bulk_create(
        CampaignIndicator(campaign=campaign, indicator=ind, order=n)
        for n, ind in enumerate(indicators)
    )
    _make_periods(campaign, dates)
    grant_campaign_access(campaign, organiser=organiser, participants=units)
    _event(campaign, CampaignEvent.Kind.CREATED, by, unit=organiser)
    _notify_units(
        campaign,
        units,
        _("%(name)s（%(s)s 至 %(e)s）已列入本单位参加的专项行动，牵头单位：%(o)s")
        % {"name": campaign.name, "s": start_on, "e": end_on, "o": organiser.name},
    )
    return campaign


def may_change_plan(campaign: Campaign) -> bool:
    """Units, period and schedule change only before reports can exist."""
    return campaign.status == S.PREPARING


@transaction.atomic
def campaign_edit(
    *,
    campaign: Campaign,
    by: User,
    version: int,
    name: str,
    description: str,
    duties: Iterable[DutyClause],
    organiser: Unit | None = None,
    units: Iterable[Unit] | None = None,
    start_on: date | None = None,
    end_on: date | None = None,
    schedule: str | None = None,
    dates: Sequence[date] = (),
    indicators: Iterable[Indicator] | None = None,
) -> Campaign:
    """The office edits a campaign; in 筹备 everything, later its name,
    description and duty clauses (reports rest on the units and periods)."""
    inputs.campaign_input(
        name=name,
        description=description,
        start_on=start_on,
        end_on=end_on,
        dates=dates,
    )
    campaign = _claim(campaign, version, statuses=Campaign.OPEN_STATUSES)
    old_year = campaign.start_on.year
    transaction.on_commit(lambda: forget_year(old_year))
    planning = may_change_plan(campaign)
    if planning and units is not None:
        organiser = organiser or campaign.organiser
        check_dates(start_on, end_on, schedule, dates)
        unit_list = _check_units(organiser, units)
        campaign.organiser = organiser
        campaign.start_on, campaign.end_on = start_on, end_on
        campaign.schedule = schedule
        campaign.participant_links.exclude(unit__in=unit_list).delete()
        have = set(campaign.participant_links.values_list("unit_id", flat=True))
        Participant.objects.bulk_create(
            Participant(campaign=campaign, unit=u)
            for u in unit_list
            if u.pk not in have
        )
        if indicators is not None:
            wanted = list(indicators)
            campaign.indicator_links.exclude(indicator__in=wanted).delete()
            have = set(campaign.indicator_links.values_list("indicator_id", flat=True))
            CampaignIndicator.objects.bulk_create(
                CampaignIndicator(campaign=campaign, indicator=i, order=n)
                for n, i in enumerate(wanted)
                if i.pk not in have
            )
        _make_periods(campaign, dates)
        grant_campaign_access(campaign, organiser=organiser, participants=unit_list)
    else:
        unit_list = list(campaign.units.all())
    campaign.name = name.strip()
    campaign.description = description.strip()
    campaign.save()
    campaign.duties.set(_check_duties(duties, unit_list))
    _event(campaign, CampaignEvent.Kind.EDITED, by)
    return campaign


@transaction.atomic
def campaign_indicator_units(
    *, campaign: Campaign, by: User, version: int, required: dict[int, list[Unit]]
) -> Campaign:
    """Which participating units must report each indicator (``required`` maps
    a CampaignIndicator id to units; an empty list: every participating unit)."""
    campaign = _claim(campaign, version, statuses=Campaign.OPEN_STATUSES[:2])
    members = set(campaign.participant_links.values_list("unit_id", flat=True))
    for link in campaign.indicator_links.select_related("indicator"):
        units = required.get(link.pk, [])
        strangers = [u.name for u in units if u.pk not in members]
        if strangers:
            raise ValidationError(
                _("%(u)s 不是参加单位，不能报送“%(i)s”。")
                % {"u": "、".join(strangers), "i": link.indicator.label}
            )
        link.units.set(units)
    _event(campaign, CampaignEvent.Kind.EDITED, by, note=_("调整了各指标的报送单位"))
    return campaign


def advance_refusal(campaign: Campaign, *, has_indicators: bool | None = None) -> str:
    """Why the campaign cannot move to its next stage now ("" when it can);
    ``has_indicators`` when the caller has the campaign's indicators at hand."""
    if has_indicators is None:
        has_indicators = campaign.indicator_links.exists()
    if campaign.status == S.PREPARING and not has_indicators:
        return _("请先为活动选定统计指标，再启动。")
    if campaign.status == S.SUMMARISING and not campaign.summary.strip():
        return _("请先撰写总结正文，再印发总结。")
    if campaign.status == S.ARCHIVED:
        return _("活动已归档。")
    return ""


@transaction.atomic
def campaign_advance(*, campaign: Campaign, by: User, to: str) -> Campaign:
    """筹备 → 进行中 → 总结 → 已归档, one step at a time, by the office."""
    if not by.is_office:
        raise ValidationError(_("只有办公室可以推进活动阶段。"))
    if to != campaign.next_status:
        raise ValidationError(_("活动不能从当前阶段转到该阶段。"))
    refusal = advance_refusal(campaign)
    if refusal:
        raise ValidationError(refusal)
    campaign = _claim(campaign, None, statuses=[campaign.status])
    campaign.status = to
    kind = {
        S.ACTIVE: CampaignEvent.Kind.STARTED,
        S.SUMMARISING: CampaignEvent.Kind.SUMMARISING,
        S.ARCHIVED: CampaignEvent.Kind.ARCHIVED,
    }[to]
    if to == S.ARCHIVED:
        campaign.summary_issued_at = timezone.now()
    campaign.save()
    _event(campaign, kind, by)
    units = list(campaign.units.all())
    if to == S.ACTIVE:
        first = campaign.periods.order_by("number").first()
        _notify_units(
            campaign,
            units,
            _("%(name)s已启动，请按期报送数据；第一期报送时限 %(d)s。")
            % {"name": campaign.name, "d": first.due_on if first else campaign.end_on},
            mail=True,
        )
    elif to == S.ARCHIVED:
        _notify_units(
            campaign,
            units,
            _("%(title)s已印发。") % {"title": campaign.summary_title},
        )
    return campaign


@transaction.atomic
def campaign_summary_edit(
    *, campaign: Campaign, by: User, version: int, summary: str
) -> Campaign:
    inputs.summary_input(summary)
    campaign = _claim(campaign, version, statuses=[S.SUMMARISING])
    campaign.summary = summary.strip()
    campaign.save()
    _event(campaign, CampaignEvent.Kind.EDITED, by, note=_("撰写总结正文"))
    return campaign
