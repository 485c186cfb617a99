"""The office's annual work report (领导小组办公室工作报告), drafted from the data.

The draft is plain text the office edits in the browser before the pack is
rendered: paragraphs separated by blank lines; a paragraph starting 一、 is a
level-1 heading, one starting （一） a level-2 heading (``paragraphs``).

Apps to the right of annual (oversight's bulletins, campaigns' figures) add
their own sentences to the report's 工作开展情况 through the hook
``paragraphs_providers`` (registered from their ``AppConfig.ready``); annual
never imports them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jinwei_ip.lib.hooks import Hook
from jinwei_ip.lib.numerals import chinese_numeral
from meetings.models import Decision, Meeting, Minutes
from tasks.models import Task

from .models import CoordinationItem, Round, Submission

ParagraphProvider = Callable[[int], list[str]]
# Apps to the right (oversight: bulletins; campaigns) register a provider of
# finished sentences for a year's 工作开展情况 from their AppConfig.ready.
paragraphs_providers: Hook[ParagraphProvider] = Hook("annual.report.paragraphs")


def extra_paragraphs(year: int) -> list[str]:
    return [p for provider in paragraphs_providers for p in provider(year) if p]


def year_figures(year: int, today: date | None = None) -> dict[str, int]:
    """The year's figures the report is written from (a handful of counts)."""
    today = today or timezone.localdate()
    tasks = Task.objects.all()
    assigned = tasks.filter(created_at__year=year).aggregate(
        total=Count("pk"),
        from_decisions=Count("pk", filter=Q(decision__isnull=False)),
        from_plans=Count("pk", filter=Q(plan__isnull=False)),
    )
    closed = tasks.filter(status=Task.Status.CLOSED, closed_at__year=year).aggregate(
        total=Count("pk"),
        on_time=Count("pk", filter=Q(closed_at__date__lte=F("due_on"))),
    )
    meetings = Meeting.objects.in_year(year).filter(status=Meeting.Status.HELD)
    return {
        "assigned": assigned["total"],
        "from_decisions": assigned["from_decisions"],
        "from_plans": assigned["from_plans"],
        "closed": closed["total"],
        "closed_on_time": closed["on_time"],
        "open": tasks.open().count(),
        "overdue": tasks.overdue(today).count(),
        "meetings": meetings.count(),
        "plenaries": meetings.filter(kind=Meeting.Kind.PLENARY).count(),
        "decisions": Decision.objects.filter(
            minutes__meeting__year=year, minutes__status=Minutes.Status.ISSUED
        ).count(),
    }


def office_report_draft(round_: Round) -> tuple[str, str]:
    """(title, text) of the report for ``round_``'s year, from the data."""
    year = round_.year
    f = year_figures(year)
    submitted = round_.submissions.filter(status=Submission.Status.SUBMITTED)
    units = round_.submissions.count()
    items = CoordinationItem.objects.filter(
        submission__round=round_, submission__status=Submission.Status.SUBMITTED
    ).aggregate(n=Count("pk"), topics=Count("pk", filter=Q(topic__isnull=False)))
    coordination, on_agenda = items["n"], items["topics"]
    title = _("关于%(y)d年度全区知识产权工作情况的报告") % {"y": year}
    work = [
        _(
            "%(y)d年，领导小组共召开会议%(m)d次（其中全体会议%(p)d次），"
            "印发会议纪要明确议定事项%(d)d项。"
        )
        % {"y": year, "m": f["meetings"], "p": f["plenaries"], "d": f["decisions"]},
        _(
            "全年交办督办任务%(a)d项，其中议定事项任务%(ad)d项、工作计划任务%(ap)d项；"
            "办结销号%(c)d项，其中按期完成%(ct)d项。"
        )
        % {
            "a": f["assigned"],
            "ad": f["from_decisions"],
            "ap": f["from_plans"],
            "c": f["closed"],
            "ct": f["closed_on_time"],
        },
        *extra_paragraphs(year),
        _("各成员单位按要求报送年度工作总结，已报送%(s)d家（共%(n)d家）。")
        % {"s": submitted.count(), "n": units},
    ]
    problems = [
        _(
            "截至目前，尚有在办督办任务%(o)d项，其中已逾期%(r)d项，"
            "个别单位进度滞后、佐证材料不够完整。"
        )
        % {"o": f["open"], "r": f["overdue"]}
        if f["overdue"]
        else _("截至目前，尚有在办督办任务%(o)d项，均在办理时限内。") % {"o": f["open"]}
    ]
    if coordination:
        problems.append(
            _(
                "成员单位提请领导小组协调解决的事项%(n)d项，"
                "其中%(t)d项已列入本次会议议程研究。"
            )
            % {"n": coordination, "t": on_agenda}
        )
    plans = [
        _(
            "%(y)d年，领导小组办公室将根据各成员单位的下年度工作打算，"
            "制定%(y)d年知识产权强区建设工作计划，逐项明确牵头单位、配合单位和完成时限，"
            "纳入督查督办，定期通报进展。"
        )
        % {"y": year + 1}
    ]
    parts = [
        _("一、%(y)d年工作开展情况") % {"y": year},
        *work,
        _("二、存在的问题"),
        *problems,
        _("三、%(y)d年工作打算") % {"y": year + 1},
        *plans,
    ]
    return title, "\n\n".join(parts)


H1 = re.compile(r"^[一二三四五六七八九十]+、")
H2 = re.compile(r"^[（(][一二三四五六七八九十]+[）)]")


def paragraphs(text: str) -> list[dict[str, str]]:
    """The report's text as typed paragraphs for the PDF: h1, h2 or p."""
    result = []
    for block in re.split(r"\n\s*\n", text or ""):
        for line in block.splitlines():
            line = line.strip()
            if not line:
                continue
            kind = "h1" if H1.match(line) else "h2" if H2.match(line) else "p"
            result.append({"kind": kind, "text": line})
    return result


def numbered(n: int) -> str:
    """一、 for 1 (the pack's section numbers)."""
    return chinese_numeral(n) + "、"
