"""Progress bulletins (工作通报): drafted from the data, edited and issued by the office.

The office picks a period; ``bulletin_draft`` freezes the period's figures into
``Bulletin.figures`` and writes a Chinese narrative from them. The office edits the
narrative (optimistic locking on ``edit_version``: a stale save is refused and the
person keeps their text) and issues it (``bulletin_issue``): the next number of the
year (金知领办通〔2026〕3号) is taken, the bulletin is frozen and every member
unit's accounts get an in-app notification and an e-mail.

Who sees what: the office and the leaders see every bulletin; a unit's accounts see
issued bulletins only; only the office drafts, edits and issues.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import (
    Exists,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import TruncDate
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from jinwei_ip.lib.pdf import official_date
from jinwei_ip.lib.text import check_official_texts
from members.models import Unit, User

from . import dashboard
from .models import Bulletin, CoUnit, ProgressReport, Task
from .notifications import notify, unit_people

P = Bulletin.Period
ISSUER = "金台区知识产权工作协调领导小组办公室"
# Days a newly assigned task has before its first report is expected.
REPORT_GRACE_DAYS = 7
ITEM_LIMIT = 30


def number_prefix() -> str:
    return getattr(settings, "BULLETIN_NUMBER_PREFIX", "金知领办通")


def number_label(bulletin: Bulletin) -> str:
    """The document number as printed, e.g. 金知领办通〔2026〕3号 ('' for drafts)."""
    if bulletin.issue_year is None or bulletin.issue_number is None:
        return ""
    return f"{number_prefix()}〔{bulletin.issue_year}〕{bulletin.issue_number}号"


class StaleEdit(ValidationError):
    """Someone else saved the bulletin after this person opened the form."""


class Frozen(PermissionDenied):
    """The bulletin has been issued; it can no longer change."""


# --- access ----------------------------------------------------------------


def visible_bulletins(user: User) -> QuerySet[Bulletin]:
    """Every bulletin for the office and the leaders, issued ones for unit accounts,
    none for anyone else."""
    if not (user.is_authenticated and user.is_active):
        return Bulletin.objects.none()
    if user.sees_everything:
        return Bulletin.objects.all()
    if user.is_unit_member:
        return Bulletin.objects.filter(status=Bulletin.Status.ISSUED)
    return Bulletin.objects.none()


NUMBER_QUERY = re.compile(r"(\d{4})\D{1,3}(\d{1,3})\s*号?\s*$")


def search_q(text: str) -> Q:
    """Bulletins whose title contains ``text``, or whose number it names: people
    cite a 通报 by its number (金知领办通〔2026〕3号, 〔2026〕3号, 2026年3号)."""
    q = Q(title__icontains=text)
    match = NUMBER_QUERY.search(text)
    if match:
        q |= Q(issue_year=int(match[1]), issue_number=int(match[2]))
    return q


def get_bulletin_for(user: User, pk: int) -> Bulletin:
    """The bulletin if ``user`` may read it, else 404 (a draft stays hidden)."""
    return get_object_or_404(
        visible_bulletins(user).select_related("created_by", "issued_by"), pk=pk
    )


def get_bulletin_for_office(user: User, pk: int) -> Bulletin:
    """404 for people who may not read it, 403 for readers who are not the office."""
    bulletin = get_bulletin_for(user, pk)
    if not user.is_office:
        raise PermissionDenied
    return bulletin


def require_bulletin_reader(user: User) -> None:
    if not (user.is_authenticated and (user.sees_everything or user.is_unit_member)):
        raise Http404


# --- periods ---------------------------------------------------------------

CN_DIGITS = "零一二三四五六七八九十"


def cn_number(n: int) -> str:
    """1..99 in Chinese numerals (for headings and quarter names)."""
    if n <= 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return (
        (CN_DIGITS[tens] if tens > 1 else "") + "十" + (CN_DIGITS[ones] if ones else "")
    )


def period_bounds(period: str, year: int, index: int = 1) -> tuple[date, date]:
    """First and last day of a month (index 1-12), quarter (1-4) or year."""
    if period == P.MONTH:
        if not 1 <= index <= 12:
            raise ValidationError({"index": _("月份应为 1—12。")})
        return date(year, index, 1), date(
            year, index, calendar.monthrange(year, index)[1]
        )
    if period == P.QUARTER:
        if not 1 <= index <= 4:
            raise ValidationError({"index": _("季度应为 1—4。")})
        first = 3 * (index - 1) + 1
        last = first + 2
        return date(year, first, 1), date(
            year, last, calendar.monthrange(year, last)[1]
        )
    if period == P.YEAR:
        return date(year, 1, 1), date(year, 12, 31)
    raise ValidationError({"period": _("请选择通报周期。")})


def period_label(period: str, start: date) -> str:
    if period == P.MONTH:
        return f"{start.year}年{start.month}月"
    if period == P.QUARTER:
        return f"{start.year}年第{cn_number((start.month - 1) // 3 + 1)}季度"
    return f"{start.year}年度"


def same_period(bulletin: Bulletin) -> QuerySet[Bulletin]:
    """Other bulletins of the same kind and period (a second draft of a month is
    easy to make by mistake, and both could be issued)."""
    return Bulletin.objects.filter(
        period=bulletin.period,
        period_start=bulletin.period_start,
        period_end=bulletin.period_end,
    ).exclude(pk=bulletin.pk)


# --- figures ---------------------------------------------------------------


def period_tasks(start: date, end: date) -> QuerySet[Task]:
    """Tasks at work during the period: assigned by its end, not closed before it."""
    return Task.objects.filter(created_at__date__lte=end).filter(
        Q(closed_at__isnull=True) | Q(closed_at__date__gte=start)
    )


def _item(task: Task) -> dict[str, Any]:
    late = task.days_late.days if task.days_late and task.days_late.days > 0 else 0
    report = (task.latest_report_text or "").strip()
    extension = (task.latest_extension_reason or "").strip()
    if extension:
        reason = _("申请延期：%(r)s") % {"r": extension}
    elif report:
        reason = report
    else:
        reason = _("尚未报送进展")
    return {
        "code": task.code,
        "title": task.title,
        "url": task.get_absolute_url(),
        "unit": task.lead_unit.name,
        "co_units": [link.unit.name for link in task.co_unit_links.all()],
        "due_on": task.due_on.isoformat(),
        "original_due_on": task.original_due_on.isoformat(),
        "days_late": late,
        "progress": task.progress,
        "status": task.get_status_display(),
        "report": report,
        "extension_reason": extension,
        "reason": reason,
    }


def reporting(start: date, end: date, day: date) -> dict[str, list[dict]]:
    """Lead units that filed no report on a task during the period (未报送), or whose
    first report in the period came only after the task's deadline (逾期报送).

    A task is expected to be reported on when it was assigned at least
    ``REPORT_GRACE_DAYS`` days before the period ended (or before ``day`` for a
    period still running) and was not closed before the period began.
    """
    last = min(end, day)
    reports = ProgressReport.objects.filter(
        task=OuterRef("pk"),
        unit=OuterRef("lead_unit"),
        created_at__date__gte=start,
        created_at__date__lte=last,
    )
    first_report = reports.order_by("created_at").values("created_at")[:1]
    rows = (
        period_tasks(start, last)
        .filter(created_at__date__lte=last - timedelta(days=REPORT_GRACE_DAYS))
        .annotate(
            reported=Exists(reports),
            first_report_on=TruncDate(Subquery(first_report)),
        )
        .filter(Q(reported=False) | Q(first_report_on__gt=F("due_on")))
        .order_by("lead_unit__order", "code")
        .values_list("lead_unit__name", "lead_unit__code", "code", "reported")
    )
    missing: dict[str, dict] = {}
    late: dict[str, dict] = {}
    for unit_name, unit_code, code, reported in rows:
        bucket = late if reported else missing
        entry = bucket.setdefault(
            unit_code, {"unit": unit_name, "unit_code": unit_code, "tasks": []}
        )
        entry["tasks"].append(code)
    return {"missing": list(missing.values()), "late": list(late.values())}


def bulletin_figures(
    period: str, start: date, end: date, day: date | None = None
) -> dict[str, Any]:
    """The figures a bulletin is drafted from, as plain JSON data.

    Task states are as of ``day`` (the drafting day); the scope is the tasks at
    work during the period; the per-unit figures use the dashboard's functions.
    """
    day = day or dashboard.today()
    scope = dashboard.lit(period_tasks(start, end), day)
    units = list(Unit.objects.members())
    rows = dashboard.unit_figures(scope, units, day)
    totals = dashboard.total_figures(scope, day)
    listed = scope.prefetch_related(
        Prefetch(
            "co_unit_links",
            queryset=CoUnit.objects.select_related("unit").order_by("unit__order"),
        )
    )
    closed_in_period = scope.filter(
        status=Task.Status.CLOSED,
        closed_at__date__gte=start,
        closed_at__date__lte=end,
    ).count()
    return {
        "period": {
            "kind": period,
            "start": start.isoformat(),
            "end": end.isoformat(),
            "label": period_label(period, start),
        },
        "as_of": day.isoformat(),
        "totals": {**totals.as_dict(), "closed_in_period": closed_in_period},
        "units": [row.as_dict() for row in rows],
        "red": [
            _item(t)
            for t in dashboard.light_list(listed, Task.Light.RED, day, ITEM_LIMIT)
        ],
        "yellow": [
            _item(t)
            for t in dashboard.light_list(listed, Task.Light.YELLOW, day, ITEM_LIMIT)
        ],
        "reporting": reporting(start, end, day),
    }


# --- narrative -------------------------------------------------------------


def _rate(value: float | None) -> str:
    return "—" if value is None else f"{value:g}%"


def narrative_from(figures: dict[str, Any]) -> str:
    """A first draft of the bulletin's body in Chinese, from its figures alone.

    Paragraphs are separated by blank lines; the office edits it before issuing.
    """
    t = figures["totals"]
    lights = t["lights"]
    label = figures["period"]["label"]
    as_of = official_date(figures["as_of"])
    paras: list[str] = [
        _(
            "为压实工作责任，推动领导小组各项议定事项和年度工作任务落地见效，"
            "现将%(label)s督办任务进展情况通报如下："
        )
        % {"label": label}
    ]
    paras.append(_("一、总体情况"))
    if not t["led"]:
        paras.append(_("本期无纳入督办的任务。"))
    else:
        paras.append(
            _(
                "截至%(as_of)s，本期纳入督办的任务共%(led)d项，已销号%(closed)d项"
                "（其中本期销号%(closed_in_period)d项），完成率%(rate)s。"
                "已销号任务中按时完成%(on_time)d项，逾期完成%(closed_late)d项；"
                "未销号的%(open)d项任务中，正常推进%(green)d项（绿灯），"
                "临期或滞后%(yellow)d项（黄灯），已逾期%(red)d项（红灯）。"
            )
            % {
                "as_of": as_of,
                "led": t["led"],
                "closed": t["closed"],
                "closed_in_period": t["closed_in_period"],
                "rate": _rate(t["completion_rate"]),
                "on_time": t["on_time"],
                "closed_late": t["closed_late"],
                "open": t["open"],
                "green": lights.get("green", 0),
                "yellow": lights.get("yellow", 0),
                "red": lights.get("red", 0),
            }
        )
        if t["overdue"]:
            paras.append(
                _("逾期任务（含逾期完成）共%(n)d项，平均逾期%(days)s天。")
                % {"n": t["overdue"], "days": f"{t['average_days_late']:g}"}
            )
    paras.append(_("二、各成员单位任务完成情况"))
    unit_lines = []
    for row in figures["units"]:
        if not row["led"]:
            continue
        line = _("%(unit)s牵头%(led)d项，已销号%(closed)d项，完成率%(rate)s") % {
            "unit": row["unit"],
            "led": row["led"],
            "closed": row["closed"],
            "rate": _rate(row["completion_rate"]),
        }
        if row["overdue"]:
            line += _("，逾期%(n)d项") % {"n": row["overdue"]}
        unit_lines.append(line)
    if unit_lines:
        paras.append("；".join(unit_lines) + "。")
    else:
        paras.append(_("本期各成员单位均无牵头任务。"))
    paras.append(_("三、需要重点关注的任务"))
    for heading, key, empty in (
        (_("（一）已逾期任务（红灯）"), "red", _("本期无逾期未完成任务。")),
        (
            _("（二）临期或进展滞后任务（黄灯）"),
            "yellow",
            _("本期无临期或进展滞后任务。"),
        ),
    ):
        paras.append(heading)
        items = figures[key]
        if not items:
            paras.append(empty)
        for n, item in enumerate(items, start=1):
            text = _(
                "%(n)d. %(code)s %(title)s（牵头单位：%(unit)s，完成时限：%(due)s"
            ) % {
                "n": n,
                "code": item["code"],
                "title": item["title"],
                "unit": item["unit"],
                "due": official_date(item["due_on"]),
            }
            if item["due_on"] != item["original_due_on"]:
                text += _("，原定%(d)s") % {"d": official_date(item["original_due_on"])}
            if item["days_late"]:
                text += _("，已逾期%(d)d天") % {"d": item["days_late"]}
            text += _("）。情况说明：%(reason)s") % {"reason": item["reason"]}
            paras.append(text)
    paras.append(_("四、进展报送情况"))
    report = figures["reporting"]
    if not report["missing"] and not report["late"]:
        paras.append(_("本期各牵头单位均按要求报送了任务进展。"))
    if report["missing"]:
        paras.append(
            _("本期未报送进展的单位：%(list)s。")
            % {
                "list": "；".join(
                    _("%(unit)s（%(n)d项：%(codes)s）")
                    % {
                        "unit": e["unit"],
                        "n": len(e["tasks"]),
                        "codes": "、".join(e["tasks"]),
                    }
                    for e in report["missing"]
                )
            }
        )
    if report["late"]:
        paras.append(
            _("超过完成时限后才报送进展的单位：%(list)s。")
            % {
                "list": "；".join(
                    _("%(unit)s（%(codes)s）")
                    % {"unit": e["unit"], "codes": "、".join(e["tasks"])}
                    for e in report["late"]
                )
            }
        )
    paras.append(_("五、下一步工作要求"))
    paras.append(
        _(
            "各成员单位要对照职责分工和督办任务清单，倒排工期、压实责任。"
            "红灯任务的牵头单位要说明逾期原因，明确整改措施和完成时限，"
            "确需延期的按程序申请；黄灯任务的牵头单位要加快推进，按时报送进展；"
            "配合单位要主动对接，形成工作合力。办公室将持续跟踪督办，"
            "并将办理情况纳入年度工作考评。"
        )
    )
    # The closing formula of a 通报, on its own line before the signature.
    paras.append(_("特此通报。"))
    return "\n\n".join(paras)


def default_title(label: str) -> str:
    return _("关于%(label)s知识产权督办任务进展情况的通报") % {"label": label}


# --- workflows -------------------------------------------------------------


def _require_office(by: User) -> None:
    if not by.is_office:
        raise PermissionDenied(_("只有领导小组办公室可以起草、修改和印发通报。"))


@transaction.atomic
def bulletin_draft(
    *, period: str, year: int, index: int = 1, by: User, day: date | None = None
) -> Bulletin:
    """Draft a bulletin for a period from the data (figures + narrative)."""
    _require_office(by)
    day = day or dashboard.today()
    start, end = period_bounds(period, year, index)
    if start > day:
        raise ValidationError(
            {
                "year": _("通报周期尚未开始（%(start)s 起），不能起草。")
                % {"start": start}
            }
        )
    figures = bulletin_figures(period, start, end, day)
    bulletin = Bulletin(
        period=period,
        period_start=start,
        period_end=end,
        title=default_title(figures["period"]["label"]),
        narrative=narrative_from(figures),
        figures=figures,
        created_by=by,
    )
    bulletin._history_user = by
    bulletin._change_reason = _("依据数据起草")
    bulletin.save()
    return bulletin


def _claim(bulletin: Bulletin, *, version: int | None = None) -> Bulletin:
    """Take the draft for one change (one conditional UPDATE); refuse issued ones
    and, when ``version`` is given, stale ones."""
    qs = Bulletin.objects.filter(pk=bulletin.pk, status=Bulletin.Status.DRAFT)
    if version is not None:
        qs = qs.filter(edit_version=version)
    if not qs.update(edit_version=F("edit_version") + 1):
        fresh = Bulletin.objects.get(pk=bulletin.pk)
        if fresh.status == Bulletin.Status.ISSUED:
            raise Frozen(_("该通报已印发，不能再修改。"))
        raise StaleEdit(
            _(
                "该通报已被他人修改（当前为第 %(v)d 版），您的修改未保存。"
                "您填写的内容已保留在下方，请对照最新内容后再保存。"
            )
            % {"v": fresh.edit_version}
        )
    return Bulletin.objects.select_for_update().get(pk=bulletin.pk)


@transaction.atomic
def bulletin_edit(
    *, bulletin: Bulletin, title: str, narrative: str, version: int, by: User
) -> Bulletin:
    """Save the office's text if nobody saved in between (else ``StaleEdit``)."""
    _require_office(by)
    title, narrative = title.strip(), narrative.strip()
    if not title:
        raise ValidationError({"title": _("请填写标题。")})
    if not narrative:
        raise ValidationError({"narrative": _("请填写正文。")})
    check_official_texts(
        {"title": (_("标题"), title), "narrative": (_("正文"), narrative)}
    )
    bulletin = _claim(bulletin, version=version)
    bulletin.title = title
    bulletin.narrative = narrative
    bulletin._history_user = by
    bulletin._change_reason = _("修改正文")
    bulletin.save()
    return bulletin


def _next_number(year: int) -> int:
    top = Bulletin.objects.filter(issue_year=year).aggregate(n=Max("issue_number"))
    return (top["n"] or 0) + 1


@transaction.atomic
def bulletin_issue(
    *, bulletin: Bulletin, by: User, version: int | None = None
) -> Bulletin:
    """Number, freeze and send the bulletin to every member unit's accounts."""
    _require_office(by)
    bulletin = _claim(bulletin, version=version)
    now = timezone.now()
    year = timezone.localdate(now).year
    for _attempt in range(5):
        bulletin.issue_year = year
        bulletin.issue_number = _next_number(year)
        try:
            with transaction.atomic():
                Bulletin.objects.filter(pk=bulletin.pk).update(
                    issue_year=year, issue_number=bulletin.issue_number
                )
            break
        except IntegrityError:  # someone issued another one at the same moment
            continue
    else:  # pragma: no cover - five collisions in a row
        raise ValidationError(_("文号分配冲突，请稍后重试。"))
    bulletin.status = Bulletin.Status.ISSUED
    bulletin.issued_by = by
    bulletin.issued_at = now
    bulletin._history_user = by
    bulletin._change_reason = _("印发")
    bulletin.save()
    label = number_label(bulletin)
    notify(
        unit_people(Unit.objects.members()),
        text=_("领导小组办公室印发通报：%(title)s（%(number)s）")
        % {"title": bulletin.title, "number": label},
        url=bulletin.get_absolute_url(),
        subject=_("【工作通报】%(title)s") % {"title": bulletin.title},
        template="emails/bulletins/issued.txt",
        context={"bulletin": bulletin, "number": label, "issuer": ISSUER},
    )
    return bulletin


@transaction.atomic
def bulletin_discard(*, bulletin: Bulletin, by: User) -> None:
    """Delete a draft that will not be issued (issued ones stay for ever)."""
    _require_office(by)
    bulletin = _claim(bulletin)
    bulletin.delete()
