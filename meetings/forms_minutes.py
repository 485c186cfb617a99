"""Forms of the minutes (纪要): the text and the numbered decided matters, typed
as a formset. Cleaned data goes to ``meetings.services``."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from jinwei_ip.lib.forms import CheckedFormSet, PortalForm, style_widgets
from jinwei_ip.lib.text import OfficialTextField
from members.models import Unit

from .services import DecisionInput

# "会议议定以下事项：" / "会议议定如下事项：" / "会议议定：" typed as the text's last line.
LEAD_IN = re.compile(r"(?:会议)?(?:研究)?议定了?(?:(?:以下|如下)事项[：:]?|[：:])\s*$")


class MinutesForm(PortalForm):
    title = OfficialTextField(label=_("纪要标题"), max_length=200)
    narrative = OfficialTextField(
        label=_("纪要正文"),
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_(
            "会议概况与主要精神；空一行另起一段。议定事项在下方逐项填写，"
            "纪要在议定事项前自动加上“会议议定以下事项：”，正文不必再写。"
        ),
    )
    edit_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean_narrative(self) -> str:
        """The minutes print "会议议定以下事项：" before the decided matters
        themselves; typed again at the end of the text it would print twice."""
        text = self.cleaned_data["narrative"].rstrip()
        if LEAD_IN.search(text):
            raise ValidationError(
                _(
                    "正文末尾的“%(phrase)s”请删去：纪要在议定事项前会自动加上"
                    "“会议议定以下事项：”，写在正文里会印两遍。"
                ),
                params={"phrase": LEAD_IN.search(text).group(0)},
            )
        return text


class DecisionForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    text = OfficialTextField(
        label=_("议定事项"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    units_text = forms.CharField(
        label=_("建议承办单位"),
        required=False,
        max_length=300,
        help_text=_("牵头单位在前，用顿号分隔，如：区司法局、区财政局"),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)

    def clean_units_text(self) -> list[Unit]:
        text = self.cleaned_data.get("units_text", "")
        units: list[Unit] = []
        unknown = []
        for part in [p for p in _split_units(text) if p]:
            unit = Unit.objects.resolve(part)
            if unit is None:
                unknown.append(part)
            elif unit not in units:
                units.append(unit)
        if unknown:
            # Each name in its own quotes: “甲”、“乙”, not one unit called “甲、乙”.
            raise ValidationError(
                _("没有找到单位“%(names)s”，请核对单位名称（如：区司法局）。")
                % {"names": "”、“".join(unknown)}
            )
        return units


def _split_units(text: str) -> list[str]:
    for sep in "，,;；/ \n":
        text = text.replace(sep, "、")
    return [p.strip() for p in text.split("、")]


# 议定事项 are numbered 一 to 九十九 in the minutes (pdf.chinese_numeral).
MAX_DECISIONS = 99


class BaseDecisionFormSet(CheckedFormSet):
    default_error_messages = {
        "too_many_forms": _("一份纪要最多 %(num)d 项议定事项，请刷新页面后重新填写。"),
    }

    def _construct_form(self, i, **kwargs):
        """Every row shows its 序号: the blank rows of a new draft read 1, 2, 3
        (they had none, while rows added on the page got 4, 5, …, and the rows
        without a number were stored last)."""
        form = super()._construct_form(i, **kwargs)
        if i >= self.initial_form_count():
            form.fields["ORDER"].initial = i + 1
        return form

    def add_fields(self, form, index) -> None:
        # Here rather than after building the formset, so the empty form the
        # page clones for "添加一项议定事项" gets the same small 序号 box.
        super().add_fields(form, index)
        form.fields["ORDER"].label = _("序号")
        form.fields["ORDER"].widget.attrs.update(
            {"class": "form-control form-control-sm order-input", "min": 1}
        )
        form.fields["DELETE"].label = _("删除")

    def clean(self) -> None:
        messages = []
        for i, form in enumerate(self.forms):
            for name, errors in form.errors.items():
                label = form.fields[name].label if name in form.fields else ""
                for e in errors:
                    messages.append(
                        _("议定事项第%(n)d行，%(label)s：%(error)s")
                        % {"n": i + 1, "label": label, "error": e}
                    )
            if (
                not form.errors
                and not self._should_delete_form(form)
                and not (form.cleaned_data.get("text") or "").strip()
                and form.cleaned_data.get("units_text")
            ):
                messages.append(
                    _("议定事项第%(n)d行：填写了承办单位，但没有填写议定事项。")
                    % {"n": i + 1}
                )
        if messages:
            raise ValidationError(messages)

    def decisions(self) -> list[DecisionInput]:
        """Kept matters in the order the person gave (序号), blank rows dropped.
        A row whose 序号 was cleared keeps its place on the page (its row
        number), not the end of the list; equal numbers keep the page's order."""
        items = []
        for i, form in enumerate(self.forms):
            if self._should_delete_form(form):
                continue
            d = form.cleaned_data
            text = (d.get("text") or "").strip()
            if not text:
                continue
            order = d.get("ORDER")
            items.append(
                (
                    order if order is not None else i + 1,
                    i,
                    DecisionInput(
                        text=text,
                        suggested_units=d.get("units_text") or [],
                        pk=d.get("id"),
                    ),
                )
            )
        items.sort(key=lambda t: (t[0], t[1]))
        return [item for _o, _i, item in items]


def decision_formset(minutes=None, data=None) -> BaseDecisionFormSet:
    initial = []
    if minutes is not None:
        for d in minutes.decisions.prefetch_related("unit_links__unit"):
            initial.append(
                {
                    "id": d.pk,
                    "text": d.text,
                    "units_text": "、".join(
                        u.name for u in d.suggested_units_in_order()
                    ),
                    "ORDER": d.number,
                }
            )
    extra = 3 if not initial else 1
    formset = formset_factory(
        DecisionForm,
        formset=BaseDecisionFormSet,
        extra=extra,
        can_order=True,
        can_delete=True,
        max_num=MAX_DECISIONS,
        absolute_max=MAX_DECISIONS,
    )(data, initial=initial, prefix="dec")
    return formset
