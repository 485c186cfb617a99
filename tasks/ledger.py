"""The task ledger (督办台账) as rows: what the Excel and the PDF ledger both show
(``tasks.views_ledger.task_export``, ``tasks.ledger_pdf``), and the line saying which
filter selected them."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from .forms import TaskFilterForm
from .models import ProgressReport, Task

LEDGER_HEADERS = [
    _l("序号"),
    _l("任务编号"),
    _l("议定事项/任务"),
    _l("牵头单位"),
    _l("配合单位"),
    _l("完成时限"),
    _l("进展情况"),
    _l("状态"),
    _l("灯"),
]
LEDGER_WIDTHS = [6, 16, 48, 16, 24, 22, 60, 10, 10]


def ledger_rows(qs: QuerySet[Task]) -> list[list]:
    """One row per task, in LEDGER_HEADERS' order, the same for Excel and PDF."""
    latest = ProgressReport.objects.filter(
        task=OuterRef("pk"), is_lead_report=True
    ).order_by("-created_at", "-pk")
    qs = qs.annotate(latest_lead_text=Subquery(latest.values("text")[:1]))
    rows = []
    for n, task in enumerate(qs, start=1):
        due = task.due_on.isoformat()
        if task.is_extended:
            due += _("（原定 %(d)s）") % {"d": task.original_due_on.isoformat()}
        subject = task.title
        shortened = task.title.removesuffix("…")
        if task.description.startswith(shortened):
            # the title is the text's beginning (a decided matter cut short for
            # the list): the whole text once, not its beginning twice
            subject = task.description
        elif task.description:
            subject = f"{task.title}\n{task.description}"
        rows.append(
            [
                n,
                task.code,
                subject,
                task.lead_unit.name,
                task.co_unit_names(),
                due,
                task.latest_lead_text or "",
                task.get_status_display(),
                task.light_label,
            ]
        )
    return rows


def ledger_workbook(
    *, user, form: TaskFilterForm, rows: list[list], today: date
) -> bytes:
    """督办台账 as .xlsx bytes (formula-safe), for the view and the export job."""
    from jinwei_ip.lib.xlsx import write_table

    caption = _(
        "金台区知识产权工作协调领导小组督办台账（%(d)s）　筛选条件：%(f)s　共 %(n)d 项"
    ) % {"d": today.isoformat(), "f": filter_summary(form), "n": len(rows)}
    if user.is_unit_member:
        # as the PDF ledger's title: a unit's file is its own tasks, and says so
        from .ledger_pdf import ledger_title

        caption = f"{ledger_title(user)}　{caption}"
    return write_table(
        title=_("督办台账"),
        caption=caption,
        headers=[str(h) for h in LEDGER_HEADERS],
        rows=rows,
        widths=LEDGER_WIDTHS,
    )


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _display(field: forms.Field, value: Any) -> str:
    if isinstance(field, forms.ModelChoiceField):
        return str(value)
    if isinstance(field, forms.ChoiceField):
        return str(dict(field.choices).get(value, value))
    if isinstance(value, date):
        return value.isoformat()
    return f"“{value}”"


def filter_summary(form: TaskFilterForm) -> str:
    """What the filter selected, as one line (状态：未销号；单位：区司法局), and the
    conditions left out because they were wrong (filtered_tasks applies the
    others)."""
    valid = form.is_valid()
    parts = [
        _("%(label)s：%(value)s")
        % {"label": field.label, "value": _display(field, form.cleaned_data[name])}
        for name, field in form.fields.items()
        if form.cleaned_data.get(name) not in (None, "")
    ]
    text = "；".join(parts) if parts else _("无（全部可见任务）")
    if not valid:
        wrong = [
            str(form.fields[name].label) for name in form.errors if name in form.fields
        ]
        text += _("（有误未应用：%(f)s）") % {"f": "、".join(wrong)}
    return text
