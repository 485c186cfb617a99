from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jinwei_ip.lib.forms import DateInput, PortalForm

from .models import Person


class PositionAssignForm(PortalForm):
    person = forms.ModelChoiceField(
        label=_("新任人员"),
        queryset=Person.objects.select_related("unit"),
        help_text=_("人员须先在“人员”中登记。"),
    )
    start_on = forms.DateField(
        label=_("任职起始日期"),
        initial=timezone.localdate,
        widget=DateInput(),
    )
    note = forms.CharField(
        label=_("备注（如任免文号）"), max_length=200, required=False
    )
