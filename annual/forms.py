"""Forms of the annual app. Cleaned data goes to a service in annual/services.py.

Attachments are checked exactly as task evidence is (tasks.forms: extension and
first bytes must agree, size limit, at most five a time).
"""

from __future__ import annotations

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from duties.models import DutyClause
from jinwei_ip.lib.dates import PortalDateField, PortalYearField
from jinwei_ip.lib.forms import DateInput, PortalForm, checked_formset
from jinwei_ip.lib.text import OfficialTextField
from meetings.models import Meeting
from members.models import Unit
from tasks.forms import MultipleFileField

from . import inputs
from .models import Round, SectionKind, Submission, default_sections


def meeting_choices():
    return Meeting.objects.not_cancelled().order_by("-starts_at")


class MeetingField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Meeting) -> str:
        return f"{obj.title}（{timezone.localtime(obj.starts_at):%Y-%m-%d}，{obj.get_status_display()}）"


class RoundForm(PortalForm):
    year = PortalYearField(label=_l("报送年度"))
    title = OfficialTextField(
        label=_l("名称"),
        max_length=inputs.TITLE_MAX,
        required=False,
        help_text=_l("留空则为“某年度工作总结报送”。"),
    )
    deadline = PortalDateField(label=_l("报送截止日期"), widget=DateInput())
    requires_head_approval = forms.BooleanField(
        label=_l("须经分管负责同志审核后报送"), required=False
    )
    meeting = MeetingField(
        label=_l("提交会议"),
        queryset=Meeting.objects.none(),
        required=False,
        help_text=_l("材料汇编所属的会议（一般为全体会议）；可稍后指定。"),
    )
    instructions = OfficialTextField(
        label=_l("报送要求"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=inputs.INSTRUCTIONS_MAX,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meeting_choices()


class RoundEditForm(PortalForm):
    deadline = PortalDateField(label=_l("报送截止日期"), widget=DateInput())
    requires_head_approval = forms.BooleanField(
        label=_l("须经分管负责同志审核后报送"), required=False
    )
    meeting = MeetingField(
        label=_l("提交会议"), queryset=Meeting.objects.none(), required=False
    )
    instructions = OfficialTextField(
        label=_l("报送要求"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=inputs.INSTRUCTIONS_MAX,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meeting_choices()


class SectionForm(PortalForm):
    title = OfficialTextField(
        label=_l("标题"), max_length=inputs.SECTION_TITLE_MAX, required=False
    )
    kind = forms.ChoiceField(label=_l("填写方式"), choices=SectionKind.choices)


SectionFormSet = checked_formset(
    SectionForm,
    extra=2,
    max_num=inputs.MAX_SECTIONS,
    too_many=_l("报送提纲最多 %(num)d 节，请刷新页面后重新填写。"),
)


def section_initial() -> list[dict]:
    return [{"title": s["title"], "kind": s["kind"]} for s in default_sections()]


class ItemForm(PortalForm):
    """A row of items: a row left wholly blank is no item (``blank``); a row
    partly filled needs its required parts, named."""

    needed: tuple[str, ...] = ()

    def clean(self):
        data = super().clean()
        filled = [name for name in self.needed if data.get(name)]
        self.blank = not filled and not self.errors
        if filled:
            for name in self.needed:
                if not data.get(name) and name not in self.errors:
                    self.add_error(
                        name,
                        _("请填写“%(f)s”。") % {"f": self.fields[name].label},
                    )
        return data


class PlanItemForm(ItemForm):
    needed = ("text", "due_on")
    text = OfficialTextField(
        label=_l("工作打算"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=inputs.ITEM_TEXT_MAX,
    )
    due_on = PortalDateField(label=_l("完成时限"), widget=DateInput(), required=False)
    duties = forms.ModelMultipleChoiceField(
        label=_l("依据职责"),
        queryset=DutyClause.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, unit: Unit, year: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.year = year
        self.fields["duties"].queryset = DutyClause.objects.filter(
            unit=unit
        ).select_related("unit")
        self.fields["duties"].label_from_instance = lambda c: (
            f"{c.code} {c.text[:30]}…" if len(c.text) > 30 else f"{c.code} {c.text}"
        )

    def clean_due_on(self) -> date | None:
        due = self.cleaned_data["due_on"]
        if due is not None and due.year != self.year:
            raise ValidationError(
                _("完成时限应在%(y)d年内（下年度工作打算）。") % {"y": self.year}
            )
        return due


class CoordinationForm(ItemForm):
    needed = ("title",)
    title = OfficialTextField(
        label=_l("事项"), max_length=inputs.TITLE_MAX, required=False
    )
    description = OfficialTextField(
        label=_l("具体情况与建议"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=inputs.ITEM_TEXT_MAX,
    )


PlanItemFormSet = checked_formset(
    PlanItemForm,
    extra=2,
    can_delete=True,
    max_num=inputs.MAX_PLAN_ITEMS,
    too_many=_l("下年度工作打算最多 %(num)d 条，请刷新页面后重新填写。"),
)
CoordinationFormSet = checked_formset(
    CoordinationForm,
    extra=1,
    can_delete=True,
    max_num=inputs.MAX_COORDINATION_ITEMS,
    too_many=_l("需协调事项最多 %(num)d 项，请刷新页面后重新填写。"),
)


class SubmissionForm(PortalForm):
    """The section texts, one note per duty clause and new attachments; the plan
    and coordination items are formsets beside it."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    files = MultipleFileField(label=_l("附件"), required=False)

    def __init__(
        self, *args, submission: Submission, clauses: list[DutyClause], **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        round_: Round = submission.round
        self.text_keys = []
        for section in round_.text_sections:
            name = f"text_{section['key']}"
            self.fields[name] = OfficialTextField(
                label=section["title"],
                widget=forms.Textarea(attrs={"rows": 6, "class": "form-control"}),
                required=False,
                initial=submission.texts.get(section["key"], ""),
                max_length=inputs.SECTION_TEXT_MAX,
            )
            self.text_keys.append((section["key"], name))
        self.duty_names = []
        if round_.section(SectionKind.DUTIES):
            for clause in clauses:
                name = f"duty_{clause.pk}"
                self.fields[name] = OfficialTextField(
                    label=f"{clause.number}. {clause.text}",
                    widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
                    required=False,
                    initial=submission.duty_notes.get(str(clause.pk), ""),
                    max_length=inputs.DUTY_NOTE_MAX,
                )
                self.duty_names.append((str(clause.pk), name))
        self.fields["files"].help_text = _(
            "PDF、JPG、PNG、DOCX 或 XLSX，每次最多 5 个。"
        )

    def texts(self) -> dict[str, str]:
        return {key: self.cleaned_data[name] for key, name in self.text_keys}

    def duty_notes(self) -> dict[str, str]:
        return {key: self.cleaned_data[name] for key, name in self.duty_names}

    def text_fields(self):
        return [self[name] for _key, name in self.text_keys]

    def duty_fields(self):
        return [self[name] for _key, name in self.duty_names]


class VersionForm(PortalForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReturnForm(PortalForm):
    reason = forms.CharField(
        label=_l("退回理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class PackEditForm(PortalForm):
    title = OfficialTextField(label=_l("工作报告标题"), max_length=inputs.TITLE_MAX)
    text = OfficialTextField(
        label=_l("工作报告正文"),
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text=_l(
            "空行分段；以“一、”开头的段落为一级标题，以“（一）”开头的为二级标题。"
        ),
        max_length=inputs.REPORT_TEXT_MAX,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class PlanForm(PortalForm):
    title = OfficialTextField(label=_l("计划名称"), max_length=inputs.TITLE_MAX)
    intro = OfficialTextField(
        label=_l("总体要求"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=inputs.PLAN_TEXT_MAX,
    )
    requirements = OfficialTextField(
        label=_l("保障措施"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=inputs.PLAN_TEXT_MAX,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class PlanEntryForm(PortalForm):
    pk = forms.IntegerField(widget=forms.HiddenInput, required=False)
    section = OfficialTextField(
        label=_l("所属类别"), max_length=inputs.SECTION_MAX, required=False
    )
    text = OfficialTextField(
        label=_l("工作任务"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=inputs.ITEM_TEXT_MAX,
    )
    lead = forms.ModelChoiceField(label=_l("牵头单位"), queryset=Unit.objects.none())
    co_units = forms.ModelMultipleChoiceField(
        label=_l("配合单位"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    due_on = PortalDateField(label=_l("完成时限"), widget=DateInput())
    duties = forms.ModelMultipleChoiceField(
        label=_l("依据职责"),
        queryset=DutyClause.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )

    def __init__(self, *args, units, clauses, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = units
        self.fields["co_units"].queryset = units
        self.fields["duties"].queryset = clauses
        self.fields["duties"].label_from_instance = lambda c: f"{c.code} {c.text[:24]}"


PlanEntryFormSet = checked_formset(
    PlanEntryForm,
    extra=1,
    can_delete=True,
    can_order=True,
    max_num=inputs.MAX_PLAN_ENTRIES,
    too_many=_l("工作计划最多 %(num)d 条工作任务，请刷新页面后重新填写。"),
)


class PlanApproveForm(PortalForm):
    approved_on = PortalDateField(label=_l("审定日期"), widget=DateInput())
    note = OfficialTextField(
        label=_l("审定情况"),
        max_length=inputs.APPROVAL_NOTE_MAX,
        help_text=_l("如：经领导小组全体会议审议通过。"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
