"""Progress bulletins (工作通报): what a bulletin says — its number, its period, the
figures it is drafted from and the first draft of its narrative.

The workflows (draft, edit, issue, discard) are in ``oversight.services``; who may
read or change a bulletin in ``oversight.access``.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import (
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import TruncDate
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from jinwei_ip.lib.numerals import chinese_numeral
from jinwei_ip.lib.pdf import official_date
from members.models import Unit
from tasks.models import CoUnit, ProgressReport, Task

from . import dashboard, figures
from .models import Bulletin

P = Bulletin.Period
ISSUER = "金台区知识产权工作协调领导小组办公室"
# Days a newly assigned task has before its first report is expected.
REPORT_GRACE_DAYS = 7
ITEM_LIMIT = 30
NARRATIVE_TEMPLATE = "oversight/bulletin_narrative.txt"


def number_prefix() -> str:
    return getattr(settings, "BULLETIN_NUMBER_PREFIX", "金知领办通")


def number_label(bulletin: Bulletin) -> str:
    """The document number as printed, e.g. 金知领办通〔2026〕3号 ('' for drafts)."""
    if bulletin.issue_year is None or bulletin.issue_number is None:
        return ""
    return f"{number_prefix()}〔{bulletin.issue_year}〕{bulletin.issue_number}号"


NUMBER_QUERY = re.compile(r"(\d{4})\D{1,3}(\d{1,3})\s*号?\s*$")


def search_q(text: str) -> Q:
    """Bulletins whose title contains ``text``, or whose number it names: people
    cite a 通报 by its number (金知领办通〔2026〕3号, 〔2026〕3号, 2026年3号)."""
    q = Q(title__icontains=text)
    match = NUMBER_QUERY.search(text)
    if match:
        q |= Q(issue_year=int(match[1]), issue_number=int(match[2]))
    return q


# --- periods ---------------------------------------------------------------


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
        return f"{start.year}年第{chinese_numeral((start.month - 1) // 3 + 1)}季度"
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
    work during the period; the per-unit figures use the dashboard's functions
    (``oversight.figures``).
    """
    day = day or dashboard.today()
    scope = figures.lit(period_tasks(start, end), day)
    units = list(Unit.objects.members())
    rows = figures.unit_figures(scope, units, day)
    totals = figures.total_figures(scope, day)
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
            for t in figures.light_list(listed, Task.Light.RED, day, ITEM_LIMIT)
        ],
        "yellow": [
            _item(t)
            for t in figures.light_list(listed, Task.Light.YELLOW, day, ITEM_LIMIT)
        ],
        "reporting": reporting(start, end, day),
    }


# --- narrative -------------------------------------------------------------


def narrative_from(figures: dict[str, Any]) -> str:
    """A first draft of the bulletin's body in Chinese, from its figures alone
    (``templates/oversight/bulletin_narrative.txt``, which the office can read and
    change): one paragraph per line there, separated by blank lines here; the
    office edits the draft before issuing."""
    text = render_to_string(
        NARRATIVE_TEMPLATE,
        {
            "f": figures,
            "t": figures["totals"],
            "label": figures["period"]["label"],
            "as_of": official_date(figures["as_of"]),
            "units": [row for row in figures["units"] if row["led"]],
            "report": figures["reporting"],
        },
    )
    return "\n\n".join(line.strip() for line in text.splitlines() if line.strip())


def default_title(label: str) -> str:
    return _("关于%(label)s知识产权督办任务进展情况的通报") % {"label": label}


def annual_report_paragraphs(year: int) -> list[str]:
    """The bulletins' sentence in the office's annual work report (annual.report)."""
    issued = Bulletin.objects.filter(
        status=Bulletin.Status.ISSUED, issued_at__year=year
    ).count()
    if not issued:
        return []
    return [
        _(
            "坚持定期通报制度，全年印发工作通报%(n)d期，"
            "通报各成员单位督办任务办理进度和逾期情况。"
        )
        % {"n": issued}
    ]
