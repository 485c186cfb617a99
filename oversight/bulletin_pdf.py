"""A bulletin as a PDF in the official layout (GB/T 9704-2012 《党政机关公文格式》).

红头 (the office as issuer, red 小标宋-style) with 文号 and the red rule, title,
主送 "各成员单位：", body, 落款 (issuer and date), page numbers "— N —" on
alternating sides, and the per-unit figures as an attached table.

Rendered by the shared ``jinwei_ip.lib.pdf`` (official-document CSS, font stacks,
a URL fetcher that refuses every URL), like the minutes.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

from jinwei_ip.lib.pdf import mark_font_size, official_date, render_pdf

from . import bulletins
from .models import Bulletin

TEMPLATE = "pdf/bulletin.html"


def paragraphs(text: str) -> list[dict[str, str]]:
    """Body paragraphs with their kind: 一、 headings in 黑体, （一） in 楷体."""
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


def context(bulletin: Bulletin) -> dict[str, Any]:
    day = (
        timezone.localdate(bulletin.issued_at)
        if bulletin.issued_at
        else timezone.localdate()
    )
    return {
        "bulletin": bulletin,
        "number": bulletins.number_label(bulletin),
        "issuer": bulletins.ISSUER,
        "mark_size": mark_font_size(bulletins.ISSUER),
        "paragraphs": paragraphs(bulletin.narrative),
        "figures": bulletin.figures,
        "date_cn": official_date(day.isoformat()),
        "as_of_cn": (
            official_date(bulletin.figures["as_of"])
            if bulletin.figures and bulletin.figures.get("as_of")
            else ""
        ),
        "is_draft": bulletin.status != Bulletin.Status.ISSUED,
    }


def render_bulletin(bulletin: Bulletin) -> bytes:
    """The PDF, through the shared renderer (same fonts and safe URL fetcher as the
    minutes PDF: every URL refused, so user text can never fetch anything)."""
    return render_pdf(TEMPLATE, context(bulletin))


def filename(bulletin: Bulletin) -> str:
    number = bulletins.number_label(bulletin) or "草稿"
    return f"{number} {bulletin.title}.pdf"


def bulletin_pdf_response(bulletin: Bulletin) -> HttpResponse:
    response = HttpResponse(render_bulletin(bulletin), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=filename(bulletin)
    )
    return response
