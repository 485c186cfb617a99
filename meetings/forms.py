"""Forms of the meetings app: meetings, topics and the agenda, attendance (the
minutes' forms are in ``meetings.forms_minutes``). Cleaned data goes to
``meetings.services``."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jinwei_ip.lib.dates import PortalDateTimeField
from jinwei_ip.lib.forms import CheckedFormSet, PortalForm, style_widgets
from jinwei_ip.lib.text import OfficialTextField
from members.models import Person, Unit

from .models import Attendance, Meeting, Topic
from .services import AttendanceRow, MeetingData, attendance_roster, meeting_data_from

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return obj.choice_label


def people():
    return Person.objects.select_related("unit").order_by("unit__order", "name")


def member_units():
    return Unit.objects.members().order_by("order")


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs, format=DATETIME_FORMAT)


class MeetingFilterForm(PortalForm):
    q = forms.CharField(label=_("搜索"), required=False, max_length=100)
    year = forms.TypedChoiceField(
        label=_("年度"), required=False, coerce=int, empty_value=None
    )
    kind = forms.ChoiceField(
        label=_("会议类型"),
        required=False,
        choices=[("", _("全部类型")), *Meeting.Kind.choices],
    )
    status = forms.ChoiceField(
        label=_("会议状态"),
        required=False,
        choices=[("", _("全部状态")), *Meeting.Status.choices],
    )

    def __init__(self, *args, years: list[int] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs["placeholder"] = _("会议名称、地点或主题")
        self.fields["year"].choices = [("", _("全部年度"))] + [
            (y, str(y)) for y in years
        ]
        for name in ("year", "kind", "status"):
            self.fields[name].widget.attrs["data-autosubmit"] = ""


class MeetingForm(PortalForm):
    kind = forms.ChoiceField(
        label=_("会议类型"), choices=Meeting.Kind.choices, initial=Meeting.Kind.SPECIAL
    )
    title = OfficialTextField(label=_("会议名称"), max_length=200)
    subject = OfficialTextField(
        label=_("会议主题"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    starts_at = PortalDateTimeField(
        label=_("开始时间"),
        widget=DateTimeLocalInput(),
        input_formats=[DATETIME_FORMAT],
    )
    ends_at = PortalDateTimeField(
        label=_("结束时间"),
        required=False,
        widget=DateTimeLocalInput(),
        input_formats=[DATETIME_FORMAT],
    )
    place = OfficialTextField(label=_("会议地点"), max_length=200)
    convener = forms.ChoiceField(
        label=_("召集方式"),
        choices=Meeting.Convener.choices,
        widget=forms.RadioSelect,
        initial=Meeting.Convener.LEADER,
    )
    delegation_note = OfficialTextField(
        label=_("委托说明"),
        required=False,
        max_length=300,
        help_text=_("由副组长召集时必填：写明组长委托的时间和方式。"),
    )
    host = PersonChoiceField(label=_("主持人"), queryset=people(), required=False)
    recorder = PersonChoiceField(label=_("记录人"), queryset=people(), required=False)
    units = forms.ModelMultipleChoiceField(
        label=_("参会（涉及）单位"),
        queryset=member_units(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "全体会议自动涉及全部成员单位；其他会议请勾选。纪要印发后，这些单位可以阅读纪要。"
        ),
    )
    partial_reason = OfficialTextField(
        label=_("召开部分成员单位会议的理由"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    # Shown only when the year already has a plenary (see clean()).
    second_plenary = forms.BooleanField(
        label=_("确认本年度再召开一次全体会议"), required=False
    )

    def __init__(self, *args, meeting: Meeting | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.other_plenary: Meeting | None = None
        self.fields["host"].queryset = people()
        self.fields["recorder"].queryset = people()
        self.fields["units"].queryset = member_units()

    @classmethod
    def initial_for(cls, meeting: Meeting) -> dict:
        return {
            "kind": meeting.kind,
            "title": meeting.title,
            "subject": meeting.subject,
            "starts_at": timezone.localtime(meeting.starts_at),
            "ends_at": timezone.localtime(meeting.ends_at) if meeting.ends_at else None,
            "place": meeting.place,
            "convener": meeting.convener,
            "delegation_note": meeting.delegation_note,
            "host": meeting.host,
            "recorder": meeting.recorder,
            "units": list(meeting.units.all()),
            "partial_reason": meeting.partial_reason,
        }

    def clean(self) -> dict:
        data = super().clean()
        if (
            data.get("convener") == Meeting.Convener.DEPUTY
            and not (data.get("delegation_note") or "").strip()
        ):
            self.add_error("delegation_note", _("由副组长召集时，须写明组长的委托。"))
        if data.get("kind") == Meeting.Kind.PARTIAL:
            if not data.get("units"):
                self.add_error("units", _("部分成员单位会议须列出参会单位。"))
            if not (data.get("partial_reason") or "").strip():
                self.add_error("partial_reason", _("部分成员单位会议须写明召开理由。"))
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("结束时间须晚于开始时间。"))
        if data.get("kind") == Meeting.Kind.PLENARY and starts:
            self._check_second_plenary(timezone.localtime(starts).year)
        return data

    def _check_second_plenary(self, year: int) -> None:
        """The rule is one plenary a year ("原则上每年召开一次"): planning another in
        a year that has one asks the office to confirm it knowingly."""
        others = Meeting.objects.plenaries().in_year(year).order_by("starts_at")
        if self.meeting is not None:
            others = others.exclude(pk=self.meeting.pk)
        self.other_plenary = others.first()
        if self.other_plenary and not self.cleaned_data.get("second_plenary"):
            self.add_error(
                "second_plenary",
                _(
                    "%(year)d年度已有全体会议“%(title)s”（%(date)s）。工作规则规定"
                    "全体会议原则上每年召开一次；确需再召开一次，请勾选确认后保存。"
                )
                % {
                    "year": year,
                    "title": self.other_plenary.title,
                    "date": timezone.localtime(self.other_plenary.starts_at).strftime(
                        "%Y-%m-%d"
                    ),
                },
            )

    def meeting_data(self) -> MeetingData:
        return meeting_data_from(self.cleaned_data)


class TopicForm(PortalForm):
    unit = forms.ModelChoiceField(
        label=_("提出单位"), queryset=member_units(), required=False
    )
    title = OfficialTextField(label=_("议题"), max_length=200)
    description = OfficialTextField(
        label=_("需协调的事项"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("写明需要哪些部门协同解决什么问题、目前的进展和建议。"),
    )
    related_units = forms.ModelMultipleChoiceField(
        label=_("需协同的单位"),
        queryset=member_units(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self, *args, office: bool = False, unit: Unit | None = None, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = member_units()
        # A unit does not ask itself to coordinate: its own name is not offered.
        self.fields["related_units"].queryset = (
            member_units().exclude(pk=unit.pk) if unit is not None else member_units()
        )
        if office:
            self.fields["unit"].required = True
            self.fields["unit"].help_text = _("办公室代成员单位登记议题时选择。")
        else:
            del self.fields["unit"]


class AgendaAddForm(PortalForm):
    topic = forms.ModelChoiceField(
        label=_("待安排的议题"), queryset=Topic.objects.none()
    )
    presenter = OfficialTextField(
        label=_("汇报人"),
        max_length=60,
        required=False,
        help_text=_("如：区司法局 蒋平"),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = Topic.objects.filter(
            status=Topic.Status.RAISED
        ).select_related("raised_by_unit")
        self.fields["topic"].label_from_instance = lambda t: (
            f"{t.raised_by_unit.name}：{t.title}"
        )


class ReasonForm(PortalForm):
    reason = OfficialTextField(
        label=_("理由"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, label: str | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if label:
            self.fields["reason"].label = label


# --- attendance: one form for the whole meeting -----------------------------------


class PersonPick(forms.TypedChoiceField):
    """A person chosen from choices built once per page (the attendance form has
    dozens of rows; one query for all of them)."""

    def __init__(self, *, by_pk: dict[int, Person], **kwargs) -> None:
        self.by_pk = by_pk
        super().__init__(coerce=self._person, empty_value=None, **kwargs)

    def _person(self, value) -> Person:
        return self.by_pk[int(value)]

    def prepare_value(self, value):
        return value.pk if isinstance(value, Person) else value

    def has_changed(self, initial, data) -> bool:
        initial = initial.pk if isinstance(initial, Person) else initial
        return str(initial or "") != str(data or "")


def person_choices() -> tuple[list[tuple], dict[int, Person]]:
    listed = list(people())
    by_pk = {p.pk: p for p in listed}
    label = PersonChoiceField(queryset=Person.objects.none()).label_from_instance
    return [("", "—"), *[(p.pk, label(p)) for p in listed]], by_pk


# Messages that name their field: a row's error reads "第3行（蒋平）：请选择人员。";
# any other field error is printed with the field's label before it.
PERSON_REQUIRED = _("请选择人员。")
STATUS_REQUIRED = _("请选择出席情况（出席、列席或请假）。")


def _row_field_error(row: str, label: str, error: str) -> str:
    if error in (str(PERSON_REQUIRED), str(STATUS_REQUIRED)):
        return _("%(row)s：%(error)s") % {"row": row, "error": error}
    return _("%(row)s，%(label)s：%(error)s") % {
        "row": row,
        "label": label,
        "error": error,
    }


class AttendanceRowForm(forms.Form):
    title_at_meeting = OfficialTextField(
        label=_("会时职务"), max_length=100, required=False
    )
    status = forms.ChoiceField(
        label=_("出席情况"),
        choices=[("", "—"), *Attendance.Status.choices],
        error_messages={"required": STATUS_REQUIRED},
    )
    note = OfficialTextField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args, choices=None, by_pk=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if choices is None:
            choices, by_pk = person_choices()
        self.fields["person"] = PersonPick(
            label=_("人员"),
            choices=choices,
            by_pk=by_pk,
            error_messages={"required": PERSON_REQUIRED},
        )
        self.fields["substitute"] = PersonPick(
            label=_("代为出席人员"), choices=choices, by_pk=by_pk, required=False
        )
        self.order_fields(
            ["person", "title_at_meeting", "status", "substitute", "note"]
        )
        style_widgets(self)
        for f in self.fields.values():
            small = (
                "form-select-sm"
                if isinstance(f.widget, forms.Select)
                else "form-control-sm"
            )
            f.widget.attrs["class"] = (
                f"{f.widget.attrs.get('class', '')} {small}".strip()
            )
        # The table's cells have no <label>: each field names its column and row
        # ("人员 第3行"); the empty form's __num__ is renumbered by meetings.js.
        index = (self.prefix or "").rpartition("-")[2]
        row = str(int(index) + 1) if index.isdigit() else "__num__"
        for f in self.fields.values():
            f.widget.attrs["aria-label"] = _("%(field)s 第%(row)s行") % {
                "field": f.label,
                "row": row,
            }

    def has_changed(self) -> bool:
        # A row naming a person is always a row to save and check, even when it is
        # an "extra" row whose values happen to equal the prefilled roster.
        return bool(self.data.get(self.add_prefix("person"))) or super().has_changed()

    def row(self) -> AttendanceRow:
        d = self.cleaned_data
        return AttendanceRow(
            person=d["person"],
            status=d["status"],
            substitute=d.get("substitute"),
            title_at_meeting=d.get("title_at_meeting", ""),
            note=d.get("note", ""),
        )


class BaseAttendanceFormSet(CheckedFormSet):
    """Errors name the row: "第3行（蒋平）：…", and nothing is saved unless all rows are right."""

    default_error_messages = {
        "too_many_forms": _(
            "出席名单一次最多提交 %(num)d 行（每人一行），请刷新页面后重新填写。"
        ),
    }

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        form.fields["DELETE"].label = _("删除")
        form.fields["DELETE"].widget.attrs["aria-label"] = _(
            "%(field)s 第%(row)s行"
        ) % {"field": _("删除"), "row": "__num__" if index is None else index + 1}

    def row_label(self, index: int, form: forms.Form) -> str:
        person = getattr(form, "cleaned_data", {}).get("person")
        name = str(person) if person else _("未选择人员")
        return _("第%(n)d行（%(name)s）") % {"n": index + 1, "name": name}

    def _kept(self):
        for i, form in enumerate(self.forms):
            if self._should_delete_form(form):
                continue
            if not getattr(form, "cleaned_data", {}).get("person"):
                continue
            yield i, form

    def clean(self) -> None:
        """Every problem of the table at once, row by row: each row's field errors
        and the rules across rows (same person twice, a substitute when not 请假).
        The rows at fault carry errors (``form.errors``) so the table marks them."""
        errors: list[tuple[int, str]] = []
        for i, form in enumerate(self.forms):
            if self._should_delete_form(form):
                continue
            for name, field_errors in form.errors.items():
                label = form.fields[name].label if name in form.fields else ""
                errors.extend(
                    (i, _row_field_error(self.row_label(i, form), label, e))
                    for e in field_errors
                )
        seen: dict[int, int] = {}
        for i, form in self._kept():
            d = form.cleaned_data
            person = d["person"]
            row_errors = []
            if person.pk in seen:
                row_errors.append(
                    _("%(row)s：与第%(other)d行是同一人。")
                    % {"row": self.row_label(i, form), "other": seen[person.pk] + 1}
                )
            seen.setdefault(person.pk, i)
            sub = d.get("substitute")
            status = d.get("status")
            if sub is not None and status and status != Attendance.Status.ABSENT:
                row_errors.append(
                    _("%(row)s：只有“请假”时才填写代为出席人员。")
                    % {"row": self.row_label(i, form)}
                )
            if sub is not None and sub.pk == person.pk:
                row_errors.append(
                    _("%(row)s：代为出席人员不能是本人。")
                    % {"row": self.row_label(i, form)}
                )
            for message in row_errors:
                form.add_error(None, message)
            errors.extend((i, message) for message in row_errors)
        if errors:
            errors.sort(key=lambda item: item[0])  # in the order of the table
            raise ValidationError([message for _i, message in errors])

    def rows(self) -> list[AttendanceRow]:
        return [form.row() for _i, form in self._kept()]


# Blank rows a page may send beyond one row per person (the 3 extra rows and a
# few the person added and left empty).
ATTENDANCE_BLANK_ROWS = 20


def attendance_formset(meeting: Meeting, data=None) -> BaseAttendanceFormSet:
    choices, by_pk = person_choices()
    # The real maximum: one row per person who can be chosen. Django builds
    # min(TOTAL_FORMS, absolute_max) forms before it checks anything, so a
    # posted TOTAL_FORMS=100000 built 2,000 rows of choices (3.4 s of a worker)
    # only to refuse them; with absolute_max at the real maximum it builds at
    # most that many and refuses the rest with a message.
    limit = len(by_pk) + ATTENDANCE_BLANK_ROWS
    formset = formset_factory(
        AttendanceRowForm,
        formset=BaseAttendanceFormSet,
        extra=3,
        can_delete=True,
        max_num=limit,
        absolute_max=limit,
    )(
        data,
        initial=attendance_initial(meeting),
        prefix="att",
        form_kwargs={"choices": choices, "by_pk": by_pk},
    )
    return formset


def attendance_initial(meeting: Meeting) -> list[dict]:
    """The recorded attendance, or, before anything is recorded, the roster: the
    group's current position holders for the units the meeting concerns."""
    records = meeting.attendance_in_protocol_order()
    if records:
        return [
            {
                "person": a.person,
                "title_at_meeting": a.title_at_meeting,
                "status": a.status,
                "substitute": a.substitute,
                "note": a.note,
            }
            for a in records
        ]
    return [
        {
            "person": row.person,
            "title_at_meeting": row.title_at_meeting,
            "status": row.status,
        }
        for row in attendance_roster(meeting)
    ]
