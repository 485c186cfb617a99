"""PDF documents in the official layout (GB/T 9704-2012), rendered with WeasyPrint.

One renderer for every printed output of the portal (minutes, bulletins, ledgers).

API
---
``render_pdf(template_name, context, *, base_css=None) -> bytes``
    Render a Django template to PDF. Templates extend ``pdf/base.html``, which
    carries the shared official-document stylesheet ``pdf/official.css``: the A4
    page box (top margin 37 mm, left 28 mm, type area 156 × 225 mm), the
    22 lines × 28 characters grid of 3号 (16 pt) 仿宋-style body text, page numbers
    "— 1 —" in 4号 on the outside edge (odd pages right, even pages left), and the
    classes ``doc-mark`` (red 红头/纪要 mark in 小标宋-style), ``doc-number``,
    ``doc-rule`` (red separator), ``doc-title``, ``doc-body``, ``name-list``
    (出席/请假/列席 lists: 黑体 label, names aligned after the colon) and
    ``doc-footer`` (版记). ``base_css`` is extra CSS text added after it.
    Blocks of ``pdf/base.html``: ``title``, ``extra_css``, ``content``.

``html_to_pdf(html, *, base_css=None) -> bytes``
    The same for an HTML string already rendered; ``html_to_pdf_pages`` also
    returns the number of pages.

``safe_url_fetcher``
    The URL fetcher every render uses: it refuses every URL (file://, http(s)://,
    ftp://, anything) except ``data:`` URIs of images, so text typed by a user
    (``<img src="file:///etc/passwd">``) can never make the server read a file or
    call out. Templates must still escape user text (``|linebreaks`` does).

``fonts_missing_response(request, back, *, what, also="")``
    What a PDF view answers on ``CJKFontsMissing``: logged, a message naming
    the package to install, and back to the page the person came from.

``ensure_cjk_fonts()``
    Raises ``CJKFontsMissing`` (with the apt-get command) when fontconfig knows no
    Chinese font; ``render_pdf`` calls it first, so a server without fonts fails
    with a clear message instead of printing empty boxes.

Font stacks prefer the licensed official fonts when the server has them
(仿宋_GB2312, 方正小标宋简体, 黑体, 楷体_GB2312) and fall back to Noto CJK from
Debian's fonts-noto-cjk. WeasyPrint embeds subsets of the fonts it uses, so the PDF
reads the same anywhere.
"""

from __future__ import annotations

import functools
import logging
import re
import shutil
import subprocess
from datetime import date

from django.contrib import messages
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher, URLFetchingError

INSTALL_HINT = "sudo apt-get install fonts-noto-cjk"

logger = logging.getLogger(__name__)

# Font stacks for the official faces; Noto CJK is the Debian fallback.
FONT_FANGSONG = (
    '"仿宋_GB2312", "FangSong_GB2312", "仿宋", "FangSong", "STFangsong", '
    '"Noto Serif CJK SC", "Noto Serif CJK", serif'
)
FONT_XIAOBIAOSONG = (
    '"方正小标宋简体", "方正小标宋_GBK", "FZXiaoBiaoSong-B05S", "华文中宋", '
    '"STZhongsong", "Noto Serif CJK SC", "Noto Serif CJK", serif'
)
FONT_HEITI = (
    '"黑体", "SimHei", "Noto Sans CJK SC", "Noto Sans CJK", "WenQuanYi Zen Hei", '
    "sans-serif"
)
FONT_KAITI = (
    '"楷体_GB2312", "KaiTi_GB2312", "楷体", "KaiTi", "STKaiti", '
    '"Noto Serif CJK SC", "Noto Serif CJK", serif'
)

_DATA_IMAGE = re.compile(r"^data:image/(png|jpeg|gif|webp|svg\+xml)[;,]", re.I)


class CJKFontsMissing(ImproperlyConfigured):
    """The server has no Chinese font: PDFs would print empty boxes."""


class RefusedURL(URLFetchingError):
    """A URL the PDF renderer will not fetch."""


class SafeURLFetcher(URLFetcher):
    """Refuses every URL except data: URIs of images.

    WeasyPrint catches the error, logs it and leaves the resource out, so a
    malicious ``<img>`` becomes nothing instead of a file read or a request.
    """

    def fetch(self, url: str, headers=None):
        if _DATA_IMAGE.match(url or ""):
            return super().fetch(url, headers)
        raise RefusedURL(f"PDF renderer does not fetch external resources: {url[:80]}")


safe_url_fetcher = SafeURLFetcher(allowed_protocols=["data"], allow_redirects=False)


@functools.cache
def cjk_font_families() -> tuple[str, ...]:
    """Families fontconfig knows for Chinese (cached for the process)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return ()
    try:
        # Fixed argv (fc-list from PATH), no user input.
        out = subprocess.run(  # noqa: S603
            [fc_list, ":lang=zh", "family"],
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return ()
    families = {
        name.strip() for line in out.splitlines() for name in line.split(",") if name
    }
    return tuple(sorted(f for f in families if f))


def ensure_cjk_fonts() -> None:
    if not cjk_font_families():
        raise CJKFontsMissing(
            "没有找到中文字体，无法生成 PDF。请安装 Noto CJK 字体："
            f"{INSTALL_HINT}（或安装仿宋_GB2312、方正小标宋简体等公文字体）。"
            f" No CJK font found: run `{INSTALL_HINT}`."
        )


def html_to_pdf(html: str, *, base_css: str | None = None) -> bytes:
    ensure_cjk_fonts()
    stylesheets = (
        [CSS(string=base_css, url_fetcher=safe_url_fetcher)] if base_css else []
    )
    document = HTML(string=html, base_url=None, url_fetcher=safe_url_fetcher)
    return document.write_pdf(stylesheets=stylesheets)


def html_to_pdf_pages(html: str, *, base_css: str | None = None) -> tuple[bytes, int]:
    """``html_to_pdf`` that also says how many pages the PDF has (laid out once)."""
    ensure_cjk_fonts()
    stylesheets = (
        [CSS(string=base_css, url_fetcher=safe_url_fetcher)] if base_css else []
    )
    document = HTML(string=html, base_url=None, url_fetcher=safe_url_fetcher).render(
        stylesheets=stylesheets
    )
    return document.write_pdf(), len(document.pages)


def render_pdf(
    template_name: str, context: dict | None = None, *, base_css: str | None = None
) -> bytes:
    """Render ``template_name`` (extending ``pdf/base.html``) with ``context`` to PDF."""
    context = {**(context or {}), **font_context()}
    return html_to_pdf(render_to_string(template_name, context), base_css=base_css)


def font_context() -> dict[str, str]:
    """Font stacks for templates and pdf/official.css."""
    return {
        "font_fangsong": FONT_FANGSONG,
        "font_xiaobiaosong": FONT_XIAOBIAOSONG,
        "font_heiti": FONT_HEITI,
        "font_kaiti": FONT_KAITI,
    }


def official_date(day: date | str) -> str:
    """A date as an official document writes it, whatever the page's language:
    2026年3月8日 (a ``date`` or an ISO text, as stored in JSON snapshots)."""
    if isinstance(day, str):
        day = date.fromisoformat(day)
    return f"{day.year}年{day.month}月{day.day}日"


def mark_font_size(text: str, *, max_pt: float = 42, width_pt: float = 430) -> float:
    """A red mark's font size: as large as ``max_pt`` but one line within the type area."""
    return round(min(max_pt, width_pt / max(1, len(text))), 1)


def fonts_missing_response(
    request: HttpRequest, back: str | Model, *, what: str, also: str = ""
) -> HttpResponse:
    """The one answer to a PDF asked for on a server without a Chinese font
    (``CJKFontsMissing``): log it for the administrator, tell the person what must
    be installed (and ``also``, e.g. what they can do meanwhile), and go back to
    ``back`` (a URL or an object with ``get_absolute_url``). ``what`` names the
    document in the log."""
    logger.exception("%s: no CJK font on this server", what)
    message = _(
        "服务器没有安装中文字体，暂时无法生成 PDF。"
        "请联系系统管理员安装 Noto CJK 字体：%(cmd)s。"
    ) % {"cmd": INSTALL_HINT}
    messages.error(request, message + also)
    return redirect(back)
