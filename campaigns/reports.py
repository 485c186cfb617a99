"""Campaigns' unit reports: who must report what, filing figures and typical
cases, returning a report, and reminding the units that have not reported.
Like every campaign change, each names the ``edit_version`` it started from."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from jinwei_ip.lib.forms import StaleEdit  # the portal's one stale-edit refusal
from members.models import Unit, User
from notices.services import notify, office_people, unit_people

from . import inputs
from .models import (
    Campaign,
    CampaignEvent,
    CampaignIndicator,
    Figure,
    Indicator,
    ReportEvidence,
    ReportingPeriod,
    TypicalCase,
    UnitReport,
)
from .services import S, _event, _notify_units

# --- reports -----------------------------------------------------------------


def required_links(campaign: Campaign, unit: Unit) -> list[CampaignIndicator]:
    """The campaign's indicators the unit reports (no units chosen: every unit)."""
    links = campaign.indicator_links.select_related("indicator").prefetch_related(
        "units"
    )
    return [
        link
        for link in links
        if not link.units.all() or any(u.pk == unit.pk for u in link.units.all())
    ]


def report_refusal(
    campaign: Campaign, period: ReportingPeriod, unit: Unit | None
) -> str:
    """Why ``unit`` cannot file or correct its report for ``period`` now ("")."""
    if unit is None:
        return _("只有参加单位的联络员或负责同志可以报送。")
    if campaign.status == S.PREPARING:
        return _("活动尚在筹备，启动后才能报送。")
    if campaign.status == S.ARCHIVED:
        return _("活动已归档，报表不能再报送或修改。")
    if not period.has_started():
        return _("%(p)s尚未开始，开始后才能报送。") % {"p": period.label}
    return ""


@dataclass
class CaseInput:
    title: str
    summary: str
    amount: Decimal | None = None
    penalty: Decimal | None = None


def _where(unit: Unit, period: ReportingPeriod, indicator: Indicator) -> str:
    return _("%(u)s %(p)s“%(i)s”") % {
        "u": unit.name,
        "p": period.label,
        "i": indicator.label,
    }


def figure_errors(
    *,
    campaign: Campaign,
    period: ReportingPeriod,
    unit: Unit,
    links: list[CampaignIndicator],
    values: dict[int, Decimal | None],
    notes: dict[int, str],
) -> dict[str, str]:
    """The checks of a unit's figures for a period: {form field: message}. Each
    message names the unit, the period and the indicator."""
    errors: dict[str, str] = {}
    by_id = {link.indicator_id: link.indicator for link in links}
    for ind_id, ind in by_id.items():
        value = values.get(ind_id)
        where = _where(unit, period, ind)
        key = f"ind_{ind_id}"
        if value is None:
            errors[key] = _("%(w)s未填写；没有发生的请填 0。") % {"w": where}
        elif value < 0:
            errors[key] = _("%(w)s不能为负数（填写的是 %(v)s）。") % {
                "w": where,
                "v": value,
            }
        elif ind.is_integer and value != value.to_integral_value():
            errors[key] = _("%(w)s应为整数（填写的是 %(v)s）。") % {
                "w": where,
                "v": value,
            }
        elif value >= Decimal("1e12"):
            errors[key] = _("%(w)s数值过大（填写的是 %(v)s）。") % {
                "w": where,
                "v": value,
            }
    if errors:
        return errors
    earlier = Figure.objects.filter(
        campaign=campaign, unit=unit, period__number__lt=period.number
    )
    # a cumulative figure may not fall below the unit's latest earlier figure
    # unless the unit says why
    for ind_id, ind in by_id.items():
        if not ind.cumulative:
            continue
        previous = (
            earlier.filter(indicator_id=ind_id)
            .order_by("-period__number")
            .values_list("value", flat=True)
            .first()
        )
        if (
            previous is not None
            and values[ind_id] < previous
            and not notes.get(ind_id, "").strip()
        ):
            errors[f"note_{ind_id}"] = _(
                "%(w)s是累计数，比上一期的 %(old)s 减少为 %(new)s，请说明减少的理由。"
            ) % {
                "w": _where(unit, period, ind),
                "old": _plain(previous, ind),
                "new": _plain(values[ind_id], ind),
            }
    # 结案 ≤ 立案, counted to date (a case filed in one period may close in a later one)
    filed = next(
        (i for i in by_id.values() if i.check_role == Indicator.Check.FILED), None
    )
    closed = next(
        (i for i in by_id.values() if i.check_role == Indicator.Check.CLOSED), None
    )
    if filed and closed:
        before = dict(
            earlier.filter(indicator__in=[filed, closed])
            .order_by()
            .values("indicator_id")
            .annotate(total=Sum("value"))
            .values_list("indicator_id", "total")
        )
        filed_to_date = before.get(filed.pk, 0) + values[filed.pk]
        closed_to_date = before.get(closed.pk, 0) + values[closed.pk]
        if closed_to_date > filed_to_date:
            errors[f"ind_{closed.pk}"] = _(
                "%(w)s：截至本期累计结案 %(c)s 件，超过累计立案 %(f)s 件；结案数不能大于立案数。"
            ) % {
                "w": _where(unit, period, closed),
                "c": _plain(closed_to_date, closed),
                "f": _plain(filed_to_date, filed),
            }
    return errors


def _plain(value: Decimal, indicator: Indicator) -> str:
    from .figures import fmt

    return fmt(Decimal(value), indicator)


@transaction.atomic
def report_file(
    *,
    campaign: Campaign,
    period: ReportingPeriod,
    by: User,
    version: int,
    narrative: str,
    values: dict[int, Decimal | None],
    notes: dict[int, str] | None = None,
    cases: Sequence[CaseInput] = (),
    files: Sequence[UploadedFile] = (),
    remove_evidence: Iterable[int] = (),
) -> UnitReport:
    """A unit files (version 0) or corrects (the version it opened) its report for
    a period: figures, narrative, cases and evidence, all saved or none."""
    inputs.report_input(narrative=narrative, values=values, notes=notes, cases=cases)
    notes = notes or {}
    unit = by.unit if by.is_unit_member else None
    refusal = report_refusal(campaign, period, unit)
    if refusal:
        raise ValidationError(refusal)
    if period.campaign_id != campaign.pk:
        raise ValidationError(_("报送期不属于该活动。"))
    if not campaign.participant_links.filter(unit=unit).exists():
        raise ValidationError(_("本单位不是该活动的参加单位。"))
    links = required_links(campaign, unit)
    errors = figure_errors(
        campaign=campaign,
        period=period,
        unit=unit,
        links=links,
        values=values,
        notes=notes,
    )
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    existing = UnitReport.objects.filter(period=period, unit=unit).first()
    was_returned = False
    if version == 0:
        if existing is not None:
            raise StaleEdit(_stale_message(existing))
        try:
            with transaction.atomic():
                report = UnitReport.objects.create(
                    campaign=campaign,
                    period=period,
                    unit=unit,
                    narrative=narrative.strip(),
                    author=by,
                    submitted_at=now,
                )
        except IntegrityError as error:  # filed by someone else a moment ago
            existing = UnitReport.objects.get(period=period, unit=unit)
            raise StaleEdit(_stale_message(existing)) from error
    else:
        if existing is None:
            raise ValidationError(_("该报表不存在。"))
        if not UnitReport.objects.filter(pk=existing.pk, edit_version=version).update(
            edit_version=F("edit_version") + 1
        ):
            existing.refresh_from_db()
            raise StaleEdit(_stale_message(existing))
        report = UnitReport.objects.select_for_update().get(pk=existing.pk)
        was_returned = report.is_returned
        report.narrative = narrative.strip()
        report.status = UnitReport.Status.SUBMITTED
        report.author = by
        report.submitted_at = now
        report.save()
        report.figures.all().delete()
        report.cases.all().delete()
        ReportEvidence.objects.filter(
            report=report, pk__in=list(remove_evidence)
        ).delete()
    Figure.objects.bulk_create(
        Figure(
            report=report,
            campaign=campaign,
            period=period,
            unit=unit,
            indicator_id=link.indicator_id,
            value=values[link.indicator_id],
            note=notes.get(link.indicator_id, "").strip(),
        )
        for link in links
    )
    TypicalCase.objects.bulk_create(
        TypicalCase(
            report=report,
            title=case.title.strip(),
            summary=case.summary.strip(),
            amount=case.amount,
            penalty=case.penalty,
            order=n,
        )
        for n, case in enumerate(cases)
    )
    for upload in files:
        ReportEvidence.objects.create(
            report=report,
            file=upload,
            original_name=os.path.basename(upload.name)[:200],
            content_type=getattr(upload, "sniffed_type", "")
            or upload.content_type
            or "application/octet-stream",
            size=upload.size,
        )
    _event(
        campaign,
        CampaignEvent.Kind.REPORTED if version == 0 else CampaignEvent.Kind.CORRECTED,
        by,
        unit=unit,
        note=period.label + (_("（退回后重新报送）") if was_returned else ""),
    )
    if was_returned:
        notify(
            unit_people([campaign.organiser]) + office_people(),
            text=_("%(u)s 重新报送了%(c)s %(p)s的报表")
            % {"u": unit.name, "c": campaign.name, "p": period.label},
            url=report.get_absolute_url(),
        )
    return report


def _stale_message(report: UnitReport) -> str:
    return _(
        "%(u)s %(p)s的报表已由他人报送或修改（当前为第 %(v)d 版），您的内容未保存。"
        "请核对最新报表后再提交，您填写的内容已保留在下方。"
    ) % {"u": report.unit.name, "p": report.period.label, "v": report.edit_version}


def return_refusal(report: UnitReport) -> str:
    if report.campaign.status not in Campaign.REPORTING_STATUSES:
        return _("活动当前阶段不能退回报表。")
    if report.is_returned:
        return _("该报表已退回，等待重新报送。")
    return ""


@transaction.atomic
def report_return(*, report: UnitReport, by: User, reason: str) -> UnitReport:
    """The organising unit or the office returns a report with a reason."""
    refusal = return_refusal(report)
    if refusal:
        raise ValidationError(refusal)
    if not reason.strip():
        raise ValidationError({"reason": _("请填写退回理由。")})
    if not UnitReport.objects.filter(
        pk=report.pk, status=UnitReport.Status.SUBMITTED
    ).update(edit_version=F("edit_version") + 1):
        raise ValidationError(_("该报表已退回，等待重新报送。"))
    report = UnitReport.objects.select_for_update().get(pk=report.pk)
    report.status = UnitReport.Status.RETURNED
    report.returned_reason = reason.strip()
    report.returned_by = by
    report.returned_at = timezone.now()
    report.save()
    campaign = report.campaign
    _event(
        campaign,
        CampaignEvent.Kind.RETURNED,
        by,
        unit=report.unit,
        note=f"{report.period.label}：{report.returned_reason}",
    )
    notify(
        unit_people([report.unit]),
        text=_("%(c)s %(p)s的报表被退回：%(r)s")
        % {"c": campaign.name, "p": report.period.label, "r": report.returned_reason},
        url=report.get_absolute_url(),
        subject=_("【专项行动】报表被退回：%(c)s") % {"c": campaign.name},
    )
    return report


def missing_units(campaign: Campaign, period: ReportingPeriod) -> list[Unit]:
    """Participating units without a standing report for the period (none filed,
    or returned)."""
    standing = UnitReport.objects.filter(
        period=period, status=UnitReport.Status.SUBMITTED
    ).values("unit_id")
    return list(
        Unit.objects.filter(
            pk__in=campaign.participant_links.values("unit_id")
        ).exclude(pk__in=standing)
    )


@transaction.atomic
def campaign_remind(
    *, campaign: Campaign, period: ReportingPeriod, by: User
) -> list[Unit]:
    """催报: tell every unit still owing the period's report (in-app and mail)."""
    if campaign.status not in Campaign.REPORTING_STATUSES:
        raise ValidationError(_("活动当前阶段不能催报。"))
    if period.campaign_id != campaign.pk or not period.has_started():
        raise ValidationError(_("该报送期尚未开始。"))
    units = missing_units(campaign, period)
    if not units:
        raise ValidationError(_("%(p)s各单位均已报送。") % {"p": period.label})
    _notify_units(
        campaign,
        units,
        _("请尽快报送%(c)s %(p)s的数据（报送时限 %(d)s）。")
        % {"c": campaign.name, "p": period.label, "d": period.due_on},
        mail=True,
    )
    _event(
        campaign,
        CampaignEvent.Kind.REMINDED,
        by,
        note=f"{period.label}：" + "、".join(u.name for u in units),
    )
    return units
