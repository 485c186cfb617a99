from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jinwei_ip.lib.dates import PortalDateField
from jinwei_ip.lib.forms import DateInput, PortalForm

from .models import Person


class PositionAssignForm(PortalForm):
    person = forms.ModelChoiceField(
        label=_("新任人员"),
        queryset=Person.objects.select_related("unit"),
        help_text=_("人员须先在“人员”中登记。"),
    )
    start_on = PortalDateField(
        label=_("任职起始日期"),
        initial=timezone.localdate,
        widget=DateInput(),
    )
    note = forms.CharField(
        label=_("备注（如任免文号）"), max_length=200, required=False
    )


class LoginForm(AuthenticationForm):
    """Django's login form with its lengths enforced before anyone is asked.

    ``AuthenticationForm`` sets the username's max_length after the field is
    built, so no validator checks it: a 256-character name went on to
    ``authenticate`` and django-axes' record of the failure (255 characters)
    answered a server error on PostgreSQL. No account can have such a name, so
    it is refused here with a message, and nothing is recorded."""

    PASSWORD_MAX = 4096

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        limit = self.fields["username"].max_length or 150
        self.fields["username"].validators.append(
            MaxLengthValidator(
                limit,
                message=_("用户名不能超过%(limit)d个字符，请核对后重新输入。")
                % {"limit": limit},
            )
        )
        self.fields["password"].validators.append(
            MaxLengthValidator(
                self.PASSWORD_MAX,
                message=_("密码不能超过%(limit)d个字符。")
                % {"limit": self.PASSWORD_MAX},
            )
        )
