"""Forms of the campaigns app. Cleaned data goes to campaigns/services.py.

Evidence uploads reuse the tasks app's field: the same types, size limit, count
limit and content sniffing as progress reports.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from duties.models import DutyClause
from jinwei_ip.lib.dates import PortalDateField
from jinwei_ip.lib.forms import (
    CheckedFormSet,
    DateInput,
    PlainSelect,
    PortalForm,
    checked_formset,
    report_hidden_errors,
    set_plain_choices,
    style_widgets,
)
from jinwei_ip.lib.text import OfficialTextField
from members.models import Unit
from tasks.forms import MultipleFileField

from . import inputs
from .figures import figure_problem
from .models import Campaign, CampaignIndicator, Indicator, Kind

MAX_CASES = 10


def member_units():
    return Unit.objects.members()


class DutyField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: DutyClause) -> str:
        text = obj.text if len(obj.text) <= 50 else obj.text[:50] + "…"
        return f"{obj.unit.name} {obj.number}. {text}"


class IndicatorField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Indicator) -> str:
        return obj.label


def parse_dates(text: str) -> list[date]:
    """Dates typed one per line or separated by commas/spaces (2026-04-20)."""
    out = []
    for part in (
        text.replace("，", ",").replace("、", ",").replace("\n", ",").split(",")
    ):
        for token in part.split():
            try:
                out.append(date.fromisoformat(token.strip()))
            except ValueError as error:
                raise ValidationError(
                    _("“%(t)s”不是日期，请按 2026-04-20 的格式填写。") % {"t": token}
                ) from error
    return sorted(set(out))


class CampaignForm(PortalForm):
    kind = forms.ChoiceField(label=_l("类别"), choices=Kind.choices)
    name = OfficialTextField(label=_l("名称"), max_length=inputs.NAME_MAX)
    start_on = PortalDateField(label=_l("开始日期"), widget=DateInput())
    end_on = PortalDateField(label=_l("结束日期"), widget=DateInput())
    schedule = forms.ChoiceField(
        label=_l("报送周期"), choices=Campaign.Schedule.choices
    )
    dates = forms.CharField(
        label=_l("指定报送日期"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_l(
            "报送周期为“指定日期报送”时填写，每行一个，如 2026-04-22；结束日期自动作为最后一期。"
        ),
    )
    organiser = forms.ModelChoiceField(label=_l("牵头单位"), queryset=member_units())
    units = forms.ModelMultipleChoiceField(
        label=_l("参加单位"),
        queryset=member_units(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_l("牵头单位自动作为参加单位。"),
    )
    indicators = IndicatorField(
        label=_l("统计指标"),
        queryset=Indicator.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_l("不选则使用该类活动的默认指标。"),
    )
    duties = DutyField(
        label=_l("依据联合职责"),
        queryset=DutyClause.objects.joint().select_related("unit"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    description = OfficialTextField(
        label=_l("活动内容"),
        required=False,
        max_length=inputs.DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, plan_locked: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.plan_locked = plan_locked
        if plan_locked:
            # after the start, units, period, schedule and indicators hold reports
            for name in (
                "kind",
                "start_on",
                "end_on",
                "schedule",
                "dates",
                "organiser",
                "units",
                "indicators",
            ):
                del self.fields[name]

    def clean_dates(self) -> list[date]:
        dates = parse_dates(self.cleaned_data.get("dates") or "")
        refusal = inputs.reporting_dates_refusal(dates)
        if refusal:
            raise ValidationError(refusal)
        return dates

    def clean(self):
        data = super().clean()
        if self.plan_locked:
            return data
        start, end = data.get("start_on"), data.get("end_on")
        if start and end and end < start:
            self.add_error("end_on", _("结束日期不能早于开始日期。"))
        if data.get("schedule") == Campaign.Schedule.DATES and not data.get("dates"):
            if "dates" not in self.errors:
                self.add_error("dates", _("请填写至少一个报送日期。"))
        return data


class IndicatorUnitsForm(forms.Form):
    """One checkbox list of participating units per indicator of the campaign."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, campaign: Campaign, units: list, links: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.links = links
        choices = [(u.pk, u.name) for u in units]
        self.units = {u.pk: u for u in units}
        for link in links:
            self.fields[f"units_{link.pk}"] = forms.TypedMultipleChoiceField(
                label=link.indicator.label,
                choices=choices,
                coerce=int,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                initial=[u.pk for u in link.units.all()],
            )

    def required(self) -> dict[int, list]:
        return {
            link.pk: [self.units[pk] for pk in self.cleaned_data[f"units_{link.pk}"]]
            for link in self.links
        }


class FigureInput(forms.CharField):
    """A figure as typed (full-width digits and commas accepted); the checks that
    name unit, period and indicator are the service's; this one names them too."""

    # required, but checked by the service so the message names unit, period
    # and indicator (the template marks it like a required field)
    figure_required = True

    def __init__(
        self, *args, where: str = "", indicator: Indicator | None = None, **kwargs
    ) -> None:
        self.where = where
        self.indicator = indicator
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        text = (
            value.translate(
                str.maketrans("０１２３４５６７８９．－，", "0123456789.-,")
            )
            .replace(",", "")
            .strip()
        )
        try:
            number = Decimal(text)
        except InvalidOperation as error:
            raise ValidationError(
                _("%(w)s填写的“%(v)s”不是数字。") % {"w": self.where, "v": value},
                code="invalid",
            ) from error
        if not number.is_finite():
            raise ValidationError(
                _("%(w)s填写的“%(v)s”不是数字。") % {"w": self.where, "v": value}
            )
        # negative, too large, too many decimals, a fraction of a whole number:
        # refused here with the service's words (PostgreSQL would raise on
        # 1e-999, and round 1.234 to 1.23 without a word)
        problem = figure_problem(number, self.indicator) if self.indicator else None
        if problem:
            raise ValidationError(
                _("%(w)s%(p)s。") % {"w": self.where, "p": problem}, code="figure"
            )
        return number


class ReportForm(forms.Form):
    """A unit's report for one period: one field per indicator it reports, a
    reason field beside each cumulative one, the narrative, evidence."""

    narrative = OfficialTextField(
        label=_l("工作情况"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=inputs.NARRATIVE_MAX,
        help_text=_l("简要说明本期开展的工作。"),
    )
    files = MultipleFileField(
        label=_l("佐证材料"),
        required=False,
        help_text=_l("PDF、JPG、PNG、DOCX、XLSX，每次最多 5 个，每个不超过 20 MB。"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(
        self,
        *args,
        links: list[CampaignIndicator],
        unit: Unit,
        period,
        evidence=(),
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.links = links
        self.figure_names = []
        for link in links:
            ind = link.indicator
            name = f"ind_{ind.pk}"
            self.fields[name] = FigureInput(
                where=_("%(u)s %(p)s“%(i)s”")
                % {"u": unit.name, "p": period.label, "i": ind.label},
                indicator=ind,
                label=ind.label,
                required=False,
                widget=forms.TextInput(
                    attrs={
                        "inputmode": "numeric" if ind.is_integer else "decimal",
                        "autocomplete": "off",
                    }
                ),
                help_text=_("累计数：填截至本期的累计值") if ind.cumulative else "",
            )
            pair = [name]
            if ind.cumulative:
                note = f"note_{ind.pk}"
                self.fields[note] = OfficialTextField(
                    label=_("%(i)s 减少说明") % {"i": ind.label},
                    required=False,
                    max_length=inputs.NOTE_MAX,
                    help_text=_("比上一期减少时必填。"),
                )
                pair.append(note)
            self.figure_names.append(pair)
        self.evidence = list(evidence)
        if self.evidence:
            self.fields["remove_evidence"] = forms.TypedMultipleChoiceField(
                label=_l("删除已上传的材料"),
                required=False,
                coerce=int,
                choices=[(e.pk, e.original_name) for e in self.evidence],
                widget=forms.CheckboxSelectMultiple,
            )
        style_widgets(self)  # once, over the fields added here too

    def _post_clean(self) -> None:
        super()._post_clean()
        report_hidden_errors(self)

    def figure_fields(self):
        return [[self[name] for name in pair] for pair in self.figure_names]

    def values(self) -> dict[int, Decimal | None]:
        return {
            link.indicator_id: self.cleaned_data.get(f"ind_{link.indicator_id}")
            for link in self.links
        }

    def notes(self) -> dict[int, str]:
        return {
            link.indicator_id: self.cleaned_data.get(f"note_{link.indicator_id}", "")
            for link in self.links
        }


class CaseForm(PortalForm):
    title = OfficialTextField(
        label=_l("案例标题"), max_length=inputs.CASE_TITLE_MAX, required=False
    )
    summary = OfficialTextField(
        label=_l("简要案情"),
        required=False,
        max_length=inputs.CASE_SUMMARY_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    amount = forms.DecimalField(
        label=_l("本案涉案金额（万元）"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
    )
    penalty = forms.DecimalField(
        label=_l("本案罚没款（万元）"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
    )

    def clean(self):
        data = super().clean()
        filled = any(
            data.get(k) not in (None, "")
            for k in ("title", "summary", "amount", "penalty")
        )
        if filled and not data.get("title"):
            self.add_error("title", _("请填写案例标题。"))
        if filled and not data.get("summary"):
            self.add_error("summary", _("请填写简要案情。"))
        data["filled"] = filled
        return data


class BaseCaseFormSet(CheckedFormSet):
    def cases(self) -> list[dict]:
        return [
            f.cleaned_data
            for f in self.forms
            if f.cleaned_data.get("filled") and not self._should_delete_form(f)
        ]


CaseFormSet = checked_formset(
    CaseForm,
    formset=BaseCaseFormSet,
    extra=2,
    max_num=MAX_CASES,
    validate_max=True,
    too_many=_l("一份报表最多 %(num)d 个典型案例，请刷新页面后重新填写。"),
)


class ReturnForm(PortalForm):
    reason = forms.CharField(
        label=_l("退回理由"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class SummaryForm(PortalForm):
    summary = OfficialTextField(
        label=_l("总结正文"),
        widget=forms.Textarea(attrs={"rows": 16}),
        max_length=inputs.SUMMARY_MAX,
        help_text=_l(
            "分段书写；“一、”开头的短段为一级标题，“（一）”开头的为二级标题。各单位数据表和典型案例由系统附在文后。"
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class CampaignFilterForm(PortalForm):
    q = forms.CharField(label=_l("搜索"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_l("类别"),
        required=False,
        choices=[("", _l("全部类别")), *Kind.choices],
        widget=PlainSelect,
    )
    status = forms.ChoiceField(
        label=_l("阶段"),
        required=False,
        choices=[
            ("", _l("全部阶段")),
            ("open", _l("未归档")),
            *Campaign.Status.choices,
        ],
        widget=PlainSelect,
    )
    unit = forms.ModelChoiceField(
        label=_l("单位"),
        queryset=member_units(),
        required=False,
        empty_label=_l("全部单位"),
        to_field_name="code",
        widget=PlainSelect,
    )
    year = forms.IntegerField(
        label=_l("年度"), required=False, min_value=2000, max_value=2100
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        set_plain_choices(
            self.fields["unit"], member_units().values_list("code", "name")
        )
