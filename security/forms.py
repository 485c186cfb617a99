from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from jinwei_ip.lib.forms import DateInput, PortalForm, PortalModelForm
from members.models import Unit, User

from .audit import ACTION_LABELS
from .models import AdminRole, AuditEntry, SecurityPolicy


class AccountSearchForm(PortalForm):
    q = forms.CharField(label=_("搜索"), max_length=100, required=False)


class AccountForm(PortalForm):
    username = forms.CharField(
        label=_("用户名"),
        max_length=150,
        validators=[
            RegexValidator(
                r"^[\w.@+-]+\Z", _("用户名只能包含字母、数字和 @ . + - _ 字符。")
            )
        ],
    )
    display_name = forms.CharField(label=_("姓名"), max_length=40)
    role = forms.ChoiceField(
        label=_("业务角色"),
        choices=[("", _("无（管理员账号）")), *list(User.Role.choices)],
        required=False,
    )
    unit = forms.ModelChoiceField(
        label=_("所属单位"), queryset=Unit.objects.all(), required=False
    )
    email = forms.EmailField(label=_("电子邮箱"), required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def __init__(self, *args, account: User | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.account = account
        if account is not None:
            del self.fields["username"]
        else:
            del self.fields["is_active"]

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("用户名 %(u)s 已被使用。") % {"u": username})
        return username

    def clean(self) -> dict:
        data = super().clean()
        role, unit = data.get("role"), data.get("unit")
        if role in (User.Role.LIAISON, User.Role.UNIT_HEAD) and unit is None:
            self.add_error("unit", _("联络员和单位负责同志必须选择所属单位。"))
        return data


class PolicyForm(PortalModelForm):
    class Meta:
        model = SecurityPolicy
        fields = SecurityPolicy.EDITABLE

    def clean_session_idle_minutes(self) -> int:
        minutes = self.cleaned_data["session_idle_minutes"]
        ceiling = settings.SESSION_COOKIE_AGE // 60
        if minutes > ceiling:
            raise forms.ValidationError(
                _(
                    "会话空闲超时不能超过部署设定的上限 %(n)d 分钟（SESSION_IDLE_SECONDS）。"
                )
                % {"n": ceiling}
            )
        return minutes

    def clean(self) -> dict:
        data = super().clean()
        tiers = [data.get(f"lockout_minutes_{i}") for i in (1, 2, 3)]
        if all(t is not None for t in tiers) and not tiers[0] <= tiers[1] <= tiers[2]:
            self.add_error(
                "lockout_minutes_2", _("锁定时长应逐级不减：第一次 ≤ 第二次 ≤ 第三次。")
            )
        return data


class RoleGrantForm(PortalForm):
    user = forms.ModelChoiceField(
        label=_("账号"),
        queryset=User.objects.none(),
        help_text=_("只列出未担任业务角色、也未担任管理角色的在用账号。"),
    )
    role = forms.ChoiceField(label=_("管理角色"), choices=AdminRole.Role.choices)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = (
            User.objects.filter(is_active=True, role="", admin_role__isnull=True)
            .exclude(is_superuser=True)
            .order_by("username")
        )
        self.fields["user"].label_from_instance = lambda u: (
            f"{u.username}（{u.display_name}）" if u.display_name else u.username
        )


class AuditFilterForm(PortalForm):
    q = forms.CharField(label=_("账号、IP、对象或地址"), max_length=100, required=False)
    action = forms.ChoiceField(label=_("事件"), required=False)
    result = forms.ChoiceField(
        label=_("结果"),
        required=False,
        choices=[("", _("全部")), *list(AuditEntry.Result.choices)],
    )
    since = forms.DateField(label=_("起始日期"), required=False, widget=DateInput())
    until = forms.DateField(label=_("截止日期"), required=False, widget=DateInput())

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("全部"))] + [
            (k, v) for k, v in ACTION_LABELS.items()
        ]

    def clean(self) -> dict:
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("截止日期不能早于起始日期。"))
        return data

    def filters(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


class OtpTokenForm(PortalForm):
    token = forms.CharField(
        label=_("验证码"),
        max_length=16,
        help_text=_("手机验证器显示的 6 位数字，或一个恢复码。"),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}
        ),
    )


class OtpConfirmForm(PortalForm):
    token = forms.CharField(
        label=_("验证码"),
        max_length=6,
        min_length=6,
        help_text=_("添加后验证器显示的 6 位数字。"),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}
        ),
    )
