from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Mail


class OutboxFilterForm(forms.Form):
    q = forms.CharField(
        label=_("收件地址或主题"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"class": "form-control", "type": "search"}),
    )
    state = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[("", _("全部状态")), *Mail.State.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
