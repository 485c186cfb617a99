"""A bulletin as a PDF in the official layout (GB/T 9704-2012 《党政机关公文格式》).

红头 (the office as issuer, red 小标宋-style) with 文号 and the red rule, title,
主送 "各成员单位：", body, 落款 (issuer and date), page numbers "— N —" on
alternating sides, and the per-unit figures as an attached table.

The shared renderer ``jinwei_ip.lib.pdf`` (fonts, safe URL fetcher) is used when it
exists; until then ``_render`` below does the same with a fetcher that refuses
every URL (the template needs none: fonts are system CJK fonts by name).
"""

from __future__ import annotations

import shutil
import subprocess
from typing import Any

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

from . import bulletins
from .models import Bulletin

TEMPLATE = "pdf/bulletin.html"


def fonts_installed() -> bool:
    """True when the Noto CJK fonts (Debian: fonts-noto-cjk) are installed."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return False
    out = subprocess.run(  # noqa: S603 - fixed command, no user input
        [fc_list, ":lang=zh", "family"], capture_output=True, text=True, check=False
    ).stdout
    return "Noto Serif CJK SC" in out or "Noto Sans CJK SC" in out


def _paragraphs(text: str) -> list[dict[str, str]]:
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
        "paragraphs": _paragraphs(bulletin.narrative),
        "figures": bulletin.figures,
        "date_cn": f"{day.year}年{day.month}月{day.day}日",
        "is_draft": bulletin.status != Bulletin.Status.ISSUED,
    }


def _render(html: str) -> bytes:
    try:
        from jinwei_ip.lib import pdf as shared
    except ImportError:
        shared = None
    if shared is not None and hasattr(shared, "render_html"):
        return shared.render_html(html)
    return _render_locally(html)


def _render_locally(html: str) -> bytes:
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    class RefuseAll(URLFetcher):
        """The bulletin needs no outside resource: refuse every URL (no SSRF, no
        local file read through a crafted narrative)."""

        def fetch(self, url: str, headers=None):
            raise ValueError(f"URL refused: {url}")

    return HTML(string=html, url_fetcher=RefuseAll(), base_url=None).write_pdf()


def render_bulletin(bulletin: Bulletin) -> bytes:
    return _render(render_to_string(TEMPLATE, context(bulletin)))


def filename(bulletin: Bulletin) -> str:
    number = bulletins.number_label(bulletin) or "草稿"
    return f"{number} {bulletin.title}.pdf"


def bulletin_pdf_response(bulletin: Bulletin) -> HttpResponse:
    response = HttpResponse(render_bulletin(bulletin), content_type="application/pdf")
    from django.utils.http import content_disposition_header

    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=filename(bulletin)
    )
    return response
