"""Excel helpers: formula-safe writing and guarded reading of .xlsx files.

Writing: any text that a spreadsheet would run as a formula (starts with = + - @,
a tab or a carriage return) is prefixed with a single quote, so a task title like
``=HYPERLINK(...)`` typed by a user stays text in the office's ledger (CSV/formula
injection, OWASP).

Reading: an .xlsx is a zip of XML parts. Before openpyxl sees an upload we check
that it is a zip with a workbook part, that its members would not unpack to more
than ``max_unpacked`` bytes, and that no member is compressed suspiciously well (a
zip bomb). openpyxl parses the XML with defusedxml when it is installed (it is a
requirement), which blocks entity-expansion and external-entity attacks;
``assert_defused`` lets callers fail loudly if that ever changes.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Sequence
from io import BytesIO
from typing import IO, Any

from django.utils.translation import gettext as _

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
DEFAULT_MAX_UNPACKED = 50 * 1024 * 1024
# A real worksheet compresses about 5–20×; 200× on a large member is a bomb.
MAX_RATIO = 200
RATIO_CHECK_ABOVE = 1024 * 1024


class UnsafeWorkbook(ValueError):
    """The upload is not an .xlsx we are willing to open; the message is for people."""


def safe_cell(value: Any) -> Any:
    """A value that a spreadsheet will show as typed, never run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def assert_defused() -> None:
    from openpyxl.xml import DEFUSEDXML

    if not DEFUSEDXML:  # pragma: no cover - defusedxml is a pinned requirement
        raise RuntimeError("openpyxl must parse XML with defusedxml installed")


def check_xlsx(
    data: bytes, *, max_unpacked: int = DEFAULT_MAX_UNPACKED, max_ratio: int = MAX_RATIO
) -> None:
    """Raise UnsafeWorkbook unless ``data`` looks like a reasonable .xlsx file."""
    if not data.startswith(b"PK\x03\x04"):
        raise UnsafeWorkbook(
            _("文件不是 Excel 工作簿（.xlsx），请另存为 .xlsx 后再上传。")
        )
    try:
        archive = zipfile.ZipFile(BytesIO(data))
    except zipfile.BadZipFile as error:
        raise UnsafeWorkbook(_("文件已损坏，无法作为 .xlsx 打开。")) from error
    with archive:
        infos = archive.infolist()
        names = {info.filename for info in infos}
        if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
            raise UnsafeWorkbook(
                _("文件不是 Excel 工作簿（.xlsx），请另存为 .xlsx 后再上传。")
            )
        total = sum(info.file_size for info in infos)
        if total > max_unpacked:
            raise UnsafeWorkbook(
                _("文件解压后过大（%(mb)d MB），超过 %(limit)d MB 的限制。")
                % {"mb": total // (1024 * 1024), "limit": max_unpacked // (1024 * 1024)}
            )
        for info in infos:
            if info.file_size > RATIO_CHECK_ABOVE and (
                info.file_size > max_ratio * max(info.compress_size, 1)
            ):
                raise UnsafeWorkbook(_("文件压缩比异常（疑似压缩炸弹），已拒绝。"))


def load_workbook_safely(data: bytes, **limits: int):
    """Open checked bytes with openpyxl, keeping formulas visible (data_only=False)."""
    from openpyxl import load_workbook

    assert_defused()
    check_xlsx(data, **limits)
    try:
        return load_workbook(BytesIO(data), read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds on malformed parts
        raise UnsafeWorkbook(_("文件已损坏，无法作为 .xlsx 打开。")) from error


def write_table(
    *,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    widths: Sequence[int] | None = None,
    caption: str = "",
    out: IO[bytes] | None = None,
) -> bytes:
    """A one-sheet workbook: optional caption row, styled frozen header, wrapped
    cells; every value goes through ``safe_cell``. Returns the file's bytes."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    first = 1
    if caption:
        ws.cell(row=1, column=1, value=safe_cell(caption)).font = Font(
            bold=True, size=14
        )
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
        ws.cell(row=1, column=1).alignment = Alignment(horizontal="center")
        ws.row_dimensions[1].height = 28
        first = 2
    for col, header in enumerate(headers, start=1):
        cell = ws.cell(row=first, column=col, value=safe_cell(header))
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="1D3557")
        cell.alignment = Alignment(horizontal="center", vertical="center")
        cell.border = border
    wrap = Alignment(wrap_text=True, vertical="top")
    for r, row in enumerate(rows, start=first + 1):
        for col, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=col, value=safe_cell(value))
            cell.alignment = wrap
            cell.border = border
    for col, width in enumerate(widths or [], start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = ws.cell(row=first + 1, column=1)
    # filter buttons on the header, over the rows written
    ws.auto_filter.ref = (
        f"A{first}:{get_column_letter(len(headers))}{max(ws.max_row, first)}"
    )
    buffer = out or BytesIO()
    wb.save(buffer)
    return buffer.getvalue() if isinstance(buffer, BytesIO) else b""
