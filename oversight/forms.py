"""Forms of the dashboard and of bulletins."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _l

from campaigns.models import Campaign
from jinwei_ip.lib.forms import PlainSelect, PortalForm, set_plain_choices
from jinwei_ip.lib.text import OfficialTextField
from meetings.models import Meeting
from members.models import Unit

from .models import Bulletin

FIRST_YEAR = 2022  # the group was set up in September 2022


def year_choices(blank: str | None = None) -> list[tuple[str, str]]:
    """Years from next year back to the group's first, named in the page's
    language (2026年 / 2026): a callable, so each form reads the active language."""
    this = timezone.localdate().year
    years = [
        (str(y), _l("%(year)d年") % {"year": y})
        for y in range(this + 1, FIRST_YEAR - 1, -1)
    ]
    return ([("", blank)] if blank is not None else []) + years


def _month_choices() -> list[tuple[str, str]]:
    return [("", "—")] + [(str(m), str(MONTHS[m])) for m in range(1, 13)]


QUARTERS = (_l("第一季度"), _l("第二季度"), _l("第三季度"), _l("第四季度"))


def _quarter_choices() -> list[tuple[str, str]]:
    return [("", "—")] + [(str(q), str(QUARTERS[q - 1])) for q in range(1, 5)]


def _all_years():
    return year_choices(str(_l("全部年度")))


class DashboardFilterForm(PortalForm):
    year = forms.ChoiceField(
        label=_l("年度"), required=False, choices=_all_years, widget=PlainSelect
    )
    meeting = forms.ModelChoiceField(
        label=_l("来源会议"),
        queryset=Meeting.objects.filter(minutes__decisions__tasks__isnull=False)
        .distinct()
        .order_by("-starts_at"),
        required=False,
        empty_label=_l("全部来源"),
        widget=PlainSelect,
    )
    unit = forms.ChoiceField(label=_l("单位"), required=False, widget=PlainSelect)

    def __init__(self, *args, units: list[Unit], **kwargs) -> None:
        """``units``: the member units, already read by the view (one query for the
        choices and the dashboard rows).

        The meetings offered are the chosen year's: a meeting of another year
        selects no task of this year, and the page read as if nothing had been
        done. A meeting left over from the year before the person changed it is
        dropped rather than refused."""
        super().__init__(*args, **kwargs)
        self.units = {u.code: u for u in units}
        year = str(self.data.get("year", ""))
        if year.isdigit():
            meetings = self.fields["meeting"].queryset.filter(year=int(year))
            self.fields["meeting"].queryset = meetings
            chosen = str(self.data.get("meeting", ""))
            if chosen.isdigit() and not meetings.filter(pk=int(chosen)).exists():
                self.data = self.data.copy()
                self.data["meeting"] = ""
        set_plain_choices(
            self.fields["meeting"],
            self.fields["meeting"].queryset.values_list("pk", "title"),
        )
        self.fields["unit"].choices = [("", _l("全部成员单位"))] + [
            (u.code, u.name) for u in units
        ]
        for name in ("year", "meeting", "unit"):
            self.fields[name].widget.attrs["data-autosubmit"] = ""
            self.fields[name].widget.attrs["class"] += " form-select-sm"

    def clean_unit(self) -> Unit | None:
        code = self.cleaned_data.get("unit")
        return self.units.get(code) if code else None


def _this_year() -> str:
    return str(timezone.localdate().year)


class BulletinDraftForm(PortalForm):
    period = forms.ChoiceField(
        label=_l("通报周期"), choices=Bulletin.Period.choices, initial="month"
    )
    year = forms.TypedChoiceField(
        label=_l("年度"), coerce=int, choices=year_choices, initial=_this_year
    )
    month = forms.TypedChoiceField(
        label=_l("月份"),
        coerce=int,
        required=False,
        choices=_month_choices,
        help_text=_l("月度通报时选择。"),
    )
    quarter = forms.TypedChoiceField(
        label=_l("季度"),
        coerce=int,
        required=False,
        choices=_quarter_choices,
        help_text=_l("季度通报时选择（第一季度至第四季度）。"),
    )

    def clean(self) -> dict:
        data = super().clean()
        period = data.get("period")
        if period == Bulletin.Period.MONTH and not data.get("month"):
            self.add_error("month", _l("月度通报请选择月份。"))
        if period == Bulletin.Period.QUARTER and not data.get("quarter"):
            self.add_error("quarter", _l("季度通报请选择季度。"))
        return data

    @property
    def index(self) -> int:
        data = self.cleaned_data
        if data["period"] == Bulletin.Period.MONTH:
            return data["month"]
        if data["period"] == Bulletin.Period.QUARTER:
            return data["quarter"]
        return 1


class BulletinEditForm(PortalForm):
    title = OfficialTextField(label=_l("标题"), max_length=200)
    narrative = OfficialTextField(
        label=_l("正文"),
        widget=forms.Textarea(attrs={"rows": 22}),
        help_text=_l("段落之间空一行。以“一、”“（一）”开头的段落在 PDF 中排为标题。"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class BulletinFilterForm(PortalForm):
    q = forms.CharField(
        label=_l("搜索"),
        required=False,
        max_length=100,
        # gettext_lazy by name: makemessages does not know the _l alias, and this
        # string is new (the catalogue is updated centrally).
        widget=forms.TextInput(
            attrs={"placeholder": gettext_lazy("标题或文号，如：〔2026〕3号")}
        ),
    )
    year = forms.ChoiceField(label=_l("年度"), required=False, choices=_all_years)
    status = forms.ChoiceField(
        label=_l("状态"),
        required=False,
        choices=[("", _l("全部状态")), *Bulletin.Status.choices],
    )


class CampaignChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Campaign) -> str:
        return f"{obj.name}（{obj.start_on:%Y-%m-%d} — {obj.end_on:%Y-%m-%d}）"


class BulletinCampaignsForm(PortalForm):
    """Which campaigns' figures the bulletin cites (the campaigns under way in its
    period)."""

    campaigns = CampaignChoice(
        label=_l("引用专项行动数据"),
        queryset=Campaign.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_l(
            "所选活动各单位的统计数据作为附表印入通报；印发前每次保存时更新。"
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, bulletin: Bulletin, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["campaigns"].queryset = citable_campaigns(bulletin)


def citable_campaigns(bulletin: Bulletin):
    """Campaigns under way at some time in the bulletin's period (not in 筹备)."""
    return (
        Campaign.objects.filter(
            start_on__lte=bulletin.period_end, end_on__gte=bulletin.period_start
        )
        .exclude(status=Campaign.Status.PREPARING)
        .order_by("start_on", "pk")
    )
