"""A plan file as a grid of cells, whatever made it.

Offices get their annual plans from the district government as sheets typed by
hand in WPS or Excel: merged cells, titles above the table, a CSV saved in GBK.
This module only turns the bytes into rows of cell values, as a person sees them
on screen; ``tasks.importer`` finds the header and reads the cells.

- .xlsx: opened with the guarded loader (zip-bomb and defusedxml checks). openpyxl
  in read-only mode does not report merged cells, so their ranges are read from
  the sheet's XML; every cell of a merged range gets the value of its top-left
  cell (a 责任单位 merged over three task rows belongs to each of them), and the
  ranges that span several columns of one row are kept (a category heading
  written across the table).
- .csv: UTF-8 with or without BOM, UTF-16 with BOM, otherwise GB18030 (a superset
  of GBK, which WPS and Excel on Chinese Windows write); comma- or tab-separated.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from jinwei_ip.lib.xlsx import UnsafeWorkbook, load_workbook_safely

# Columns beyond this are never a plan's (a sheet padded to XFD would otherwise be
# carried cell by cell).
MAX_COLUMNS = 60
# Cells that merged ranges may fill in all: a sheet that merges far more than its
# table is refused instead of being expanded.
MAX_MERGED_CELLS = 2_000_000
MERGE_CELL = re.compile(
    rb'<(?:[A-Za-z_][\w.-]*:)?mergeCell\b[^>]*?\bref="([A-Z]{1,3}[1-9]\d{0,6}(?::[A-Z]{1,3}[1-9]\d{0,6})?)"'
)


class UnreadableFile(ValueError):
    """The upload cannot be read as a table; the message is for people."""


@dataclass
class Sheet:
    # rows[i] is the file's row i + 1, every row as wide as the widest
    rows: list[list] = field(default_factory=list)
    # 0-based row index -> column ranges (first, last; 0-based) merged across
    # several columns in that row
    spans: dict[int, list[tuple[int, int]]] = field(default_factory=dict)
    kind: str = "xlsx"
    encoding: str = ""
    # the file has more rows than were read
    truncated: bool = False


def is_csv(name: str) -> bool:
    return (name or "").lower().endswith(".csv")


def read_sheet(data: bytes, name: str, *, max_rows: int, max_unpacked: int) -> Sheet:
    """The first sheet's cells, at most ``max_rows`` rows (``truncated`` says
    whether there were more). Raises UnreadableFile."""
    if is_csv(name):
        return _read_csv(data, max_rows)
    return _read_xlsx(data, max_rows, max_unpacked)


def _pad(rows: list[list]) -> list[list]:
    width = max((len(r) for r in rows), default=0)
    return [r + [None] * (width - len(r)) for r in rows]


# --- .csv ----------------------------------------------------------------


def decode_csv(data: bytes) -> tuple[str, str]:
    """(text, encoding name shown to people)."""
    if data.startswith(codecs.BOM_UTF8):
        candidates = [("utf-8-sig", "UTF-8")]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = [("utf-16", "UTF-16")]
    else:
        candidates = [("utf-8", "UTF-8"), ("gb18030", "GBK（GB18030）")]
    for codec, label in candidates:
        try:
            return data.decode(codec), label
        except UnicodeDecodeError:
            continue
    raise UnreadableFile(
        _("无法识别 CSV 文件的编码，请另存为 UTF-8 或 GBK 编码的 CSV，或 .xlsx。")
    )


def _read_csv(data: bytes, max_rows: int) -> Sheet:
    text, encoding = decode_csv(data)
    if "\0" in text:
        raise UnreadableFile(
            _("文件不是文本格式的 CSV，请另存为 CSV 或 .xlsx 后再上传。")
        )
    head = text[:4096]
    delimiter = "\t" if head.count("\t") > head.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list] = []
    sheet = Sheet(kind="csv", encoding=encoding)
    try:
        for line in reader:
            if len(rows) >= max_rows:
                sheet.truncated = True
                break
            rows.append([cell if cell != "" else None for cell in line[:MAX_COLUMNS]])
    except csv.Error as error:
        raise UnreadableFile(
            _("CSV 第%(row)d行格式有误（%(e)s），请用 Excel 或 WPS 另存后再上传。")
            % {"row": reader.line_num, "e": error}
        ) from error
    sheet.rows = _pad(rows)
    return sheet


# --- .xlsx ---------------------------------------------------------------


def _read_xlsx(data: bytes, max_rows: int, max_unpacked: int) -> Sheet:
    from openpyxl.utils.cell import range_boundaries

    try:
        wb = load_workbook_safely(data, max_unpacked=max_unpacked)
    except UnsafeWorkbook as error:
        raise UnreadableFile(str(error)) from error
    sheet = Sheet(kind="xlsx")
    try:
        if not wb.worksheets:
            raise UnreadableFile(_("工作簿中没有工作表。"))
        ws = wb.worksheets[0]
        rows: list[list] = []
        # values, not cells: with data_only=False a formula comes as its text
        # "=…" or as an ArrayFormula or DataTableFormula
        try:
            for line in ws.iter_rows(values_only=True):
                if len(rows) >= max_rows:
                    sheet.truncated = True
                    break
                rows.append(list(line[:MAX_COLUMNS]))
        except Exception as error:  # openpyxl raises many kinds on malformed XML
            raise UnreadableFile(_("文件已损坏，无法作为 .xlsx 打开。")) from error
        path = getattr(ws, "_worksheet_path", "").lstrip("/")
    finally:
        wb.close()
    rows = _pad(rows)
    merged = 0
    for ref in _merged_ranges(data, path):
        try:
            cols_rows = range_boundaries(ref)
        except ValueError:  # a column past XFD
            continue
        min_col, max_col = sorted(cols_rows[0::2])
        min_row, max_row = sorted(cols_rows[1::2])
        top, left = min_row - 1, min_col - 1
        if top >= len(rows) or left >= MAX_COLUMNS:
            continue
        bottom = min(max_row, len(rows)) - 1
        right = min(max_col, MAX_COLUMNS, len(rows[top])) - 1
        merged += (bottom - top + 1) * (right - left + 1)
        if merged > MAX_MERGED_CELLS:
            raise UnreadableFile(_("工作表中合并单元格过多，请取消合并后再上传。"))
        value = rows[top][left]
        for r in range(top, bottom + 1):
            for c in range(left, right + 1):
                rows[r][c] = value
            if right > left:
                sheet.spans.setdefault(r, []).append((left, right))
    sheet.rows = rows
    return sheet


def _merged_ranges(data: bytes, path: str) -> list[str]:
    """The ``<mergeCell ref="A1:F1"/>`` ranges of the sheet part ``path``.

    The part was already checked by ``load_workbook_safely`` (size, ratio). Cell
    text is escaped in the XML, so the tag cannot occur inside a cell's value.
    """
    if not path:
        return []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        try:
            xml = archive.read(path)
        except KeyError:
            return []
    return [m.decode("ascii") for m in MERGE_CELL.findall(xml)]
