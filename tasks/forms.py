"""Forms of the tasks app. Cleaned data goes to a service in tasks/services.py.

Evidence uploads: PDF, JPEG, PNG, Word (.docx) and Excel (.xlsx) only. The file
name's extension AND the file's first bytes (magic numbers; for .docx/.xlsx the
zip's main part) must agree, so a renamed executable or HTML page is refused.
Archives (.zip, .rar) are refused on purpose: their contents cannot be checked and
the office cannot open them safely on an intranet desktop. Legacy .doc/.xls are
refused too (macro carriers); units save them as .docx/.xlsx or PDF.
"""

from __future__ import annotations

import os
import zipfile
from datetime import date

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from duties.models import DutyClause
from jinwei_ip.lib.dates import FOUNDED, YEARS_AHEAD, PortalDateField, latest_date
from jinwei_ip.lib.forms import (
    DateInput,
    PlainSelect,
    PortalForm,
    PortalModelForm,
    set_plain_choices,
)
from jinwei_ip.lib.text import OfficialTextField
from meetings.models import Meeting
from members.models import Unit, User

from .models import Task, WorkdayOverride

MAX_FILES_PER_REPORT = 5
MAX_FILE_NAME = 200  # Evidence.original_name

# extension -> (content type, check of the first bytes / the zip's parts)
EVIDENCE_TYPES: dict[str, tuple[str, str]] = {
    "pdf": ("application/pdf", "pdf"),
    "jpg": ("image/jpeg", "jpeg"),
    "jpeg": ("image/jpeg", "jpeg"),
    "png": ("image/png", "png"),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
    ),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
    ),
}
ZIP_MAIN_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}


def sniff(upload, kind: str) -> bool:
    """Do the file's bytes match what its extension claims?"""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if kind == "pdf":
        return head.startswith(b"%PDF-")
    if kind == "jpeg":
        return head.startswith(b"\xff\xd8\xff")
    if kind == "png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if kind in ZIP_MAIN_PART:
        if not head.startswith(b"PK\x03\x04"):
            return False
        try:
            with zipfile.ZipFile(upload) as archive:
                ok = ZIP_MAIN_PART[kind] in archive.namelist()
        except zipfile.BadZipFile:
            ok = False
        upload.seek(0)
        return ok
    return False


def check_evidence(upload) -> None:
    name = upload.name or ""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    limit = getattr(settings, "EVIDENCE_MAX_BYTES", 20 * 1024 * 1024)
    if len(os.path.basename(name)) > MAX_FILE_NAME:
        # the name is kept with the file (Evidence.original_name): refuse rather
        # than store it cut short
        raise ValidationError(
            _("文件名“%(name)s…”超过 %(n)d 个字符，请改短后重新上传。")
            % {"name": name[:20], "n": MAX_FILE_NAME}
        )
    if ext not in EVIDENCE_TYPES:
        raise ValidationError(
            _("“%(name)s”的文件类型不允许；请上传 PDF、JPG、PNG、DOCX 或 XLSX 文件。")
            % {"name": name}
        )
    if upload.size > limit:
        raise ValidationError(
            _("“%(name)s”超过 %(mb)d MB 的大小限制。")
            % {"name": name, "mb": limit // (1024 * 1024)}
        )
    if upload.size == 0:
        raise ValidationError(_("“%(name)s”是空文件。") % {"name": name})
    content_type, kind = EVIDENCE_TYPES[ext]
    if not sniff(upload, kind):
        raise ValidationError(
            _("“%(name)s”的内容与扩展名 .%(ext)s 不符，已拒绝。")
            % {"name": name, "ext": ext}
        )
    upload.sniffed_type = content_type


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            files = [single(d, initial) for d in data if d]
        else:
            files = [single(data, initial)] if data else []
        if len(files) > MAX_FILES_PER_REPORT:
            raise ValidationError(
                _("选择了 %(k)d 个文件，每次最多上传 %(n)d 个。")
                % {"k": len(files), "n": MAX_FILES_PER_REPORT}
            )
        # every refused file named, not only the first: the person picks them
        # all again (the browser empties the field), so they need the full list
        errors = []
        for upload in files:
            try:
                check_evidence(upload)
            except ValidationError as error:
                errors.extend(error.error_list)
        if errors:
            raise ValidationError(errors)
        return files


class DutyCheckboxes(forms.CheckboxSelectMultiple):
    """Duty clauses with their unit on each option, so tasks.js can show only the
    clauses of the chosen lead and co-units."""

    def create_option(self, name, value, label, selected, index, **kwargs):
        option = super().create_option(name, value, label, selected, index, **kwargs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-unit"] = str(instance.unit_id)
        return option


def member_units():
    return Unit.objects.members()


def duty_choices():
    return DutyClause.objects.filter(unit__is_member=True).select_related("unit")


class DutyField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: DutyClause) -> str:
        text = obj.text if len(obj.text) <= 60 else obj.text[:60] + "…"
        return f"{obj.unit.name} {obj.number}. {text}"


def _clean_units(form: forms.Form) -> None:
    data = form.cleaned_data
    lead = data.get("lead")
    co = list(data.get("co_units") or [])
    if lead is not None and any(u.pk == lead.pk for u in co):
        form.add_error("co_units", _("牵头单位不能同时作为配合单位。"))
    duties = data.get("duties")
    if lead is not None and duties:
        allowed = {lead.pk, *(u.pk for u in co)}
        wrong = [d for d in duties if d.unit_id not in allowed]
        if wrong:
            form.add_error(
                "duties",
                _("职责条款“%(d)s”不属于所选牵头或配合单位。")
                % {"d": f"{wrong[0].unit.name} {wrong[0].number}"},
            )


class TaskAssignForm(PortalForm):
    title = OfficialTextField(label=_l("任务名称"), max_length=200)
    description = OfficialTextField(
        label=_l("任务内容"), widget=forms.Textarea(attrs={"rows": 4})
    )
    lead = forms.ModelChoiceField(
        label=_l("牵头单位"),
        queryset=member_units(),
        widget=forms.Select(attrs={"data-unit-lead": ""}),
    )
    co_units = forms.ModelMultipleChoiceField(
        label=_l("配合单位"),
        queryset=member_units(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"data-unit-co": ""}),
    )
    # no lower bound of the field's own: clean_due refuses any day before today
    due = PortalDateField(label=_l("完成时限"), widget=DateInput(), earliest=None)
    duties = DutyField(
        label=_l("依据职责"),
        queryset=duty_choices(),
        required=False,
        widget=DutyCheckboxes,
        help_text=_l("只列出所选牵头单位和配合单位的职责条款。"),
    )

    def clean_due(self) -> date:
        due = self.cleaned_data["due"]
        if due < timezone.localdate():
            raise ValidationError(_("完成时限不能早于今天。"))
        return due

    def clean(self):
        data = super().clean()
        _clean_units(self)
        return data


class TaskReassignForm(PortalForm):
    lead = forms.ModelChoiceField(label=_l("牵头单位"), queryset=member_units())
    co_units = forms.ModelMultipleChoiceField(
        label=_l("配合单位"),
        queryset=member_units(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    due = PortalDateField(
        label=_l("完成时限"),
        widget=DateInput(),
        help_text=_l("此处调整不是延期：单位申请的延期请在延期申请中审批。"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        _clean_units(self)
        return data


class TaskEditForm(PortalForm):
    title = OfficialTextField(label=_l("任务名称"), max_length=200)
    description = OfficialTextField(
        label=_l("任务内容"), widget=forms.Textarea(attrs={"rows": 5})
    )
    duties = DutyField(
        label=_l("依据职责"),
        queryset=duty_choices(),
        required=False,
        widget=DutyCheckboxes,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, task: Task, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        units = [task.lead_unit_id, *(u.pk for u in task.co_units.all())]
        self.fields["duties"].queryset = duty_choices().filter(unit__in=units)


class ProgressReportForm(PortalForm):
    text = OfficialTextField(
        label=_l("进展情况"), widget=forms.Textarea(attrs={"rows": 5})
    )
    percent = forms.IntegerField(label=_l("完成进度（%）"), min_value=0, max_value=100)
    files = MultipleFileField(
        label=_l("佐证材料"),
        required=False,
        help_text=_l(
            "可多选，最多 5 个；PDF、JPG、PNG、DOCX、XLSX，单个文件不超过 20 MB。"
        ),
    )

    def clean(self):
        data = super().clean()
        value = self.fields["files"].widget.value_from_datadict(
            self.data, self.files, self.add_prefix("files")
        )
        chosen = [f for f in (value if isinstance(value, list) else [value]) if f]
        if self.errors and chosen:
            # A page sent back with an error cannot keep the chosen files (no
            # browser refills a file field): say so, or the report goes in
            # without its evidence on the next submit.
            self.add_error(
                "files",
                _("所选的 %(n)d 个文件均未上传：请改正后重新选择文件。")
                % {"n": len(chosen)},
            )
        return data


class ProgressReportEditForm(PortalForm):
    text = OfficialTextField(
        label=_l("进展情况"), widget=forms.Textarea(attrs={"rows": 6})
    )
    percent = forms.IntegerField(label=_l("完成进度（%）"), min_value=0, max_value=100)
    version = forms.IntegerField(widget=forms.HiddenInput)


class NoteForm(PortalForm):
    note = OfficialTextField(
        label=_l("说明"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReturnForm(PortalForm):
    reason = OfficialTextField(
        label=_l("退回理由"),
        error_messages={"required": _l("请填写退回理由。")},
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    report = forms.IntegerField(required=False, widget=forms.HiddenInput)


class WaiveForm(PortalForm):
    unit = forms.ModelChoiceField(queryset=member_units(), widget=forms.HiddenInput)
    note = forms.CharField(label=_l("免报说明"), required=False, max_length=500)


class ExtensionRequestForm(PortalForm):
    new_due_on = PortalDateField(label=_l("申请延至"), widget=DateInput())
    reason = OfficialTextField(
        label=_l("延期理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, task: Task, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.task = task

    def clean_new_due_on(self) -> date:
        """The date's limits with the other fields' errors, so one submit tells
        everything (services.extension_request checks them again)."""
        from .extensions import extension_date_refusal

        new = self.cleaned_data["new_due_on"]
        refusal = extension_date_refusal(self.task.due_on, new)
        if refusal:
            raise ValidationError(refusal)
        return new


class ExtensionDecideForm(PortalForm):
    approve = forms.TypedChoiceField(
        label=_l("审批结果"),
        choices=[("1", _l("批准延期")), ("0", _l("不予延期"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_l("审批意见"), required=False, max_length=1000)


class WorkPlanForm(PortalForm):
    year = forms.IntegerField(label=_l("年度"), min_value=FOUNDED.year)

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        latest = latest_date().year
        if year > latest:
            raise ValidationError(
                _("年度不能晚于 %(latest)d 年（今后%(n)d年以内）。")
                % {"latest": latest, "n": YEARS_AHEAD}
            )
        return year

    title = OfficialTextField(label=_l("计划名称"), max_length=200)


class ImportForm(PortalForm):
    file = forms.FileField(
        label=_l("工作计划文件（.xlsx 或 .csv）"),
        help_text=_l(
            "Excel/WPS 表格另存为 .xlsx，或 CSV（UTF-8 或 GBK 编码）。"
            "表头可在标题行之下，也可为两行（合并单元格）。"
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = getattr(settings, "IMPORT_MAX_BYTES", 5 * 1024 * 1024)
        if upload.size > limit:
            raise ValidationError(
                _("文件超过 %(mb)d MB 的大小限制。")
                % {"mb": max(limit // (1024 * 1024), 1)}
            )
        if not (upload.name or "").lower().endswith((".xlsx", ".csv")):
            raise ValidationError(
                _(
                    "只接受 Excel 工作簿（.xlsx）或 CSV 文件；.xls、.et 等格式请在 "
                    "Excel 或 WPS 中另存为 .xlsx 后再上传。"
                )
            )
        return upload


class WorkdayOverrideForm(PortalModelForm):
    class Meta:
        model = WorkdayOverride
        fields = ["day", "is_workday", "note"]
        widgets = {"day": DateInput()}
        field_classes = {"day": PortalDateField}


def year_choices() -> list[tuple[str, str]]:
    this = timezone.localdate().year
    return [("", _l("全部年度"))] + [
        (str(y), str(y)) for y in range(this + 1, 2021, -1)
    ]


class TaskFilterForm(PortalForm):
    q = forms.CharField(label=_l("搜索"), required=False, max_length=100)
    light = forms.ChoiceField(
        label=_l("灯"),
        required=False,
        choices=[("", _l("全部灯色")), *Task.Light.choices],
        widget=PlainSelect,
    )
    status = forms.ChoiceField(
        label=_l("状态"),
        required=False,
        choices=[("", _l("全部状态")), ("open", _l("未销号")), *Task.Status.choices],
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
    meeting = forms.ModelChoiceField(
        label=_l("来源会议"),
        queryset=Meeting.objects.all(),
        required=False,
        empty_label=_l("全部来源"),
        widget=PlainSelect,
    )
    year = forms.ChoiceField(
        label=_l("年度"), required=False, choices=year_choices, widget=PlainSelect
    )
    due_from = forms.DateField(
        label=_l("时限自"),
        required=False,
        widget=DateInput(),
    )
    due_to = forms.DateField(
        label=_l("时限至"),
        required=False,
        widget=DateInput(),
    )

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Only the meetings this person may open: a unit must not read the titles
        # of meetings that do not concern it in the filter's options.
        meetings = Meeting.objects.visible_to(user)
        self.fields["meeting"].queryset = meetings
        # The options from (value, label) pairs: 120 meetings and the units as
        # model instances, read through server-side cursors, on every list page
        # were a tenth of its time. Choosing one still validates through the
        # querysets above.
        set_plain_choices(self.fields["meeting"], meetings.values_list("pk", "title"))
        set_plain_choices(
            self.fields["unit"], member_units().values_list("code", "name")
        )

    def clean(self):
        data = super().clean()
        start, end = data.get("due_from"), data.get("due_to")
        if start and end and start > end:
            # a swapped range matched nothing, and the empty list did not say why
            self.add_error(
                "due_to",
                _("%(end)s 早于“时限自”%(start)s，请调换或改正。")
                % {"end": end.isoformat(), "start": start.isoformat()},
            )
        return data
