"""The task ledger (督办台账) as a PDF: A4 landscape, one row per task.

The rows are the Excel ledger's (``tasks.ledger.ledger_rows``, same columns, same
text), for the same filter and the same person (``filtered_tasks``); this module
only lays them out: a title, a line saying what was selected and when, the table
with its header repeated on every page, and "第 N 页 共 M 页" at the foot.

Rendered by the shared ``jinwei_ip.lib.pdf`` (the bulletin's CJK font stacks and
its URL fetcher that refuses every URL), so it fails with ``CJKFontsMissing``
when the server has no Chinese font.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from jinwei_ip.lib.pdf import render_pdf
from members.models import User

from .forms import TaskFilterForm
from .ledger import LEDGER_HEADERS, filter_summary, ledger_rows
from .models import Task

TEMPLATE = "pdf/ledger.html"

# At most this many tasks in one PDF. WeasyPrint lays out the whole table in
# memory before it writes a page, and the request holds a sync gunicorn worker
# (3 of them, --timeout 60, docs/DEPLOY.md) all along. Measured with the demo
# rows (short progress texts): 1,111 tasks → 121 pages, 10 s, 460 MB peak RSS;
# 2,017 tasks → 217 pages, 20 s, 660 MB. Real progress texts are longer, so
# 1,000 (~110 pages, more than anyone prints) keeps a request well inside the
# timeout. A larger selection gets a message asking to narrow the filter; the
# Excel ledger has no cap.
MAX_TASKS = 1000

# The keys of a ledger row, in the order of LEDGER_HEADERS.
ROW_KEYS = (
    "number",
    "code",
    "subject",
    "lead",
    "co_units",
    "due",
    "progress",
    "status",
    "light_label",
)

# Dot colours, printable and distinguishable in greyscale by the text beside them.
LIGHT_COLOURS = {
    Task.Light.RED: "#c62828",
    Task.Light.YELLOW: "#e0a800",
    Task.Light.GREEN: "#2e7d32",
    Task.Light.GREY: "#9e9e9e",
}


def light_names() -> dict[str, str]:
    """The lights as a reader names them (红灯 …), in the active language."""
    return {
        Task.Light.RED: _("红灯"),
        Task.Light.YELLOW: _("黄灯"),
        Task.Light.GREEN: _("绿灯"),
        Task.Light.GREY: _("灰灯"),
    }


def ledger_title(user: User) -> str:
    """The ledger page's own title: a unit's accounts see their unit's tasks."""
    if user.is_unit_member:
        return _("%(unit)s承办的督办任务") % {"unit": user.unit.name}
    return _("督办台账")


def _row(values: list) -> dict[str, Any]:
    row = dict(zip(ROW_KEYS, values, strict=True))
    title, _sep, description = str(row["subject"]).partition("\n")
    row["title"], row["description"] = title, description
    return row


def page_footer_css() -> str:
    """The CSS ``content`` of the page-number footer, from one translatable
    string: 第 " counter(page) " 页 共 " counter(pages) " 页."""
    marker = "\x00"
    text = _("第 %(page)s 页 共 %(pages)s 页") % {
        "page": f"{marker}page{marker}",
        "pages": f"{marker}pages{marker}",
    }
    parts = []
    for i, piece in enumerate(text.split(marker)):
        if i % 2:
            parts.append(f"counter({piece})")
        elif piece:
            escaped = piece.replace("\\", "\\\\").replace('"', '\\"')
            parts.append(f'"{escaped}"')
    return " ".join(parts)


def context(
    *, user: User, form: TaskFilterForm, qs: QuerySet[Task], now: datetime
) -> dict[str, Any]:
    light_by_label = {str(label): value for value, label in Task.Light.choices}
    names = light_names()
    rows = []
    for values in ledger_rows(qs):
        row = _row(values)
        light = light_by_label.get(row["light_label"], "")
        row["light"] = light
        row["light_name"] = names.get(light, row["light_label"])
        row["colour"] = LIGHT_COLOURS.get(light, LIGHT_COLOURS[Task.Light.GREY])
        rows.append(row)
    local = timezone.localtime(now)
    return {
        "title": ledger_title(user),
        "headers": LEDGER_HEADERS,
        "rows": rows,
        "count": len(rows),
        "filters": filter_summary(form),
        "generated": local.strftime("%Y-%m-%d %H:%M"),
        "legend": [
            {"name": names[value], "meaning": label, "colour": LIGHT_COLOURS[value]}
            for value, label in Task.Light.choices
        ],
        "page_footer": page_footer_css(),
    }


def render_ledger(
    *, user: User, form: TaskFilterForm, qs: QuerySet[Task], now: datetime
) -> bytes:
    return render_pdf(TEMPLATE, context(user=user, form=form, qs=qs, now=now))


def filename(day: date) -> str:
    return f"督办台账-{day:%Y%m%d}.pdf"


def ledger_pdf_response(
    *, user: User, form: TaskFilterForm, qs: QuerySet[Task]
) -> HttpResponse:
    """The PDF as a download; raises ``CJKFontsMissing`` without Chinese fonts."""
    now = timezone.now()
    data = render_ledger(user=user, form=form, qs=qs, now=now)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=filename(timezone.localdate(now))
    )
    return response
