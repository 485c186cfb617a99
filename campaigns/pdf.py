"""The campaign summary (专项行动工作总结 / 宣传活动总结) as a PDF in the official
layout of the bulletins (GB/T 9704-2012): 红头 of the group's office, red rule,
title, 主送, the office's summary text, 落款, then the per-unit figures table, the
figures by period and the typical cases as attachments.

Rendered by the shared ``jinwei_ip.lib.pdf`` (official-document CSS, font stacks,
a URL fetcher that refuses every URL).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from jinwei_ip.lib.pdf import mark_font_size, official_date, render_pdf
from members.models import Unit

from .figures import campaign_table
from .models import Campaign, TypicalCase, UnitReport

TEMPLATE = "pdf/campaign_summary.html"
ISSUER = "金台区知识产权工作协调领导小组办公室"


def paragraphs(text: str) -> list[dict[str, str]]:
    """Body paragraphs with their kind: 一、 headings in 黑体, （一） in 楷体 (as
    the bulletins print them)."""
    result = []
    for line in text.replace("\r\n", "\n").split("\n"):
        line = line.strip()
        if not line:
            continue
        kind = "p"
        if len(line) < 40 and line[:2] in {f"{c}、" for c in "一二三四五六七八九十"}:
            kind = "h1"
        elif line.startswith("（") and "）" in line[:5] and len(line) < 40:
            kind = "h2"
        result.append({"kind": kind, "text": line})
    return result


def context(campaign: Campaign) -> dict[str, Any]:
    units = list(Unit.objects.filter(campaigns=campaign).order_by("order", "pk"))
    links = list(campaign.indicator_links.select_related("indicator"))
    indicators = [link.indicator for link in links]
    periods = list(campaign.periods.all())
    table = campaign_table(campaign, indicators, units, periods)
    cases = list(
        TypicalCase.objects.filter(
            report__campaign=campaign, report__status=UnitReport.Status.SUBMITTED
        )
        .select_related("report__unit", "report__period")
        .order_by("report__period__number", "report__unit__order", "order", "pk")
    )
    issued = campaign.summary_issued_at
    day = timezone.localdate(issued) if issued else timezone.localdate()
    return {
        "campaign": campaign,
        "title": campaign.summary_title,
        "issuer": ISSUER,
        "mark_size": mark_font_size(ISSUER),
        "paragraphs": paragraphs(campaign.summary),
        "table": table,
        "units": units,
        "cases": cases,
        "period_cn": f"{official_date(campaign.start_on)}至{official_date(campaign.end_on)}",
        "date_cn": official_date(day),
        "is_draft": issued is None,
        "show_periods": len(periods) > 1,
    }


def render_summary(campaign: Campaign) -> bytes:
    return render_pdf(TEMPLATE, context(campaign))


def filename(campaign: Campaign) -> str:
    return f"{campaign.summary_title}.pdf"
