"""Decided matters to tasks in one form: every matter of issued minutes on one
page, each row prefilled from the matter (title, lead and co-units from its
suggested units, a deadline) and editable, rows to skip unticked; saved all or
nothing through ``services.task_assign``."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from jinwei_ip.lib.forms import DateInput, PortalForm
from meetings.models import Decision, Minutes
from members.models import Unit, User

from . import services
from .forms import member_units
from .models import Task


def _names(text: str) -> list[str]:
    for sep in "，,;；/ \n":
        text = text.replace(sep, "、")
    return [p.strip() for p in text.split("、") if p.strip()]


class MatterRowForm(PortalForm):
    """One decided matter's row."""

    include = forms.BooleanField(label=_l("转为任务"), required=False)
    title = forms.CharField(label=_l("任务名称"), max_length=200, required=False)
    lead = forms.ModelChoiceField(
        label=_l("牵头单位"), queryset=member_units(), required=False
    )
    co_units = forms.CharField(
        label=_l("配合单位"),
        max_length=300,
        required=False,
        help_text=_l("用顿号分隔，如：区司法局、区财政局"),
    )
    due = forms.DateField(label=_l("完成时限"), required=False, widget=DateInput())

    def __init__(self, *args, units: list[Unit], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if "class" in field.widget.attrs:
                field.widget.attrs["class"] += " form-control-sm"
        self.fields["lead"].choices = [("", "—"), *((u.pk, u.name) for u in units)]

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("include"):
            return data
        for name, message in (
            ("title", _("请填写任务名称。")),
            ("lead", _("请选择牵头单位。")),
            ("due", _("请填写完成时限。")),
        ):
            if not data.get(name) and name not in self.errors:
                self.add_error(name, message)
        due = data.get("due")
        if due and due < timezone.localdate():
            self.add_error("due", _("完成时限不能早于今天。"))
        co: list[Unit] = []
        unknown = []
        for name in _names(data.get("co_units") or ""):
            unit = Unit.objects.resolve(name)
            if unit is None or not unit.is_member:
                unknown.append(name)
            elif unit not in co:
                co.append(unit)
        if unknown:
            self.add_error(
                "co_units",
                _("没有找到成员单位“%(names)s”。") % {"names": "”、“".join(unknown)},
            )
        lead = data.get("lead")
        if lead is not None and any(u.pk == lead.pk for u in co):
            self.add_error("co_units", _("牵头单位不能同时作为配合单位。"))
        data["co_list"] = co
        return data


def default_due(minutes: Minutes) -> date:
    """The year's end for matters of a meeting of this year; three months ahead
    when that has passed."""
    today = timezone.localdate()
    year_end = date(minutes.meeting.year, 12, 31)
    return (
        year_end
        if year_end >= today + timedelta(days=14)
        else today + timedelta(days=90)
    )


def matter_rows(
    minutes: Minutes, data=None
) -> list[tuple[Decision, list[Task], MatterRowForm]]:
    """Each decided matter with its existing tasks and its row form, prefilled."""
    units = list(member_units())
    decisions = list(
        minutes.decisions.order_by("number").prefetch_related("tasks__lead_unit")
    )
    due = default_due(minutes)
    rows = []
    for decision in decisions:
        existing = list(decision.tasks.all())
        suggested = decision.suggested_units_in_order()
        text = decision.text.strip()
        initial = {
            "include": not existing,
            "title": text if len(text) <= 60 else text[:58] + "…",
            "lead": suggested[0].pk if suggested else None,
            "co_units": "、".join(u.name for u in suggested[1:]),
            "due": due,
        }
        form = MatterRowForm(
            data, prefix=f"m{decision.number}", initial=initial, units=units
        )
        rows.append((decision, existing, form))
    return rows


@transaction.atomic
def matters_convert(
    *, rows: list[tuple[Decision, list[Task], MatterRowForm]], by: User
) -> list[Task]:
    """Assign a task for every ticked row, all or nothing. A refusal names the
    matter (第3项：…) and nothing is written."""
    tasks = []
    for decision, _existing, form in rows:
        data = form.cleaned_data
        if not data.get("include"):
            continue
        try:
            tasks.append(
                services.task_assign(
                    decision=decision,
                    lead=data["lead"],
                    co_units=data["co_list"],
                    due=data["due"],
                    duties=[],
                    title=data["title"],
                    description=decision.text.strip(),
                    by=by,
                )
            )
        except ValidationError as error:
            raise ValidationError(
                _("第%(n)d项：%(message)s")
                % {"n": decision.number, "message": "；".join(error.messages)}
            ) from error
    return tasks
