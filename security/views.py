"""Pages of the three administrators and everyone's two-factor pages."""

from __future__ import annotations

from base64 import b32encode
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import PasswordChangeView
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import (
    content_disposition_header,
    url_has_allowed_host_and_scheme,
)
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from jinwei_ip.lib.audit import log_event
from jinwei_ip.lib.ratelimit import limited, ratelimit
from members.models import User

from . import services
from .access import (
    get_account_for,
    get_audit_entry_for,
    get_grant_for,
    get_managed_account_for,
    require_audit_admin,
    require_security_admin,
    require_system_admin,
)
from .audit import verify_chain
from .forms import (
    AccountForm,
    AccountSearchForm,
    AuditFilterForm,
    OtpConfirmForm,
    OtpTokenForm,
    PolicyForm,
    RoleGrantForm,
)
from .middleware import NEEDS_OTP, NEEDS_PASSWORD
from .models import AdminRole, AuditEntry, SecurityPolicy

PER_PAGE = 30


def security_home(request: HttpRequest) -> HttpResponse:
    """/security/: each administrator's first page."""
    role = services.admin_role_of(request.user)
    target = {
        AdminRole.Role.SYSTEM: "security:accounts",
        AdminRole.Role.SECURITY: "security:policy",
        AdminRole.Role.AUDIT: "security:audit",
    }.get(role)
    if target is None:
        raise PermissionDenied
    return redirect(target)


# --- the system administrator: accounts ------------------------------------------


@require_GET
def accounts(request: HttpRequest) -> HttpResponse:
    require_system_admin(request.user)
    form = AccountSearchForm(request.GET or None)
    qs = User.objects.select_related("unit", "admin_role").order_by(
        "unit__order", "role", "username"
    )
    if form.is_valid() and form.cleaned_data["q"]:
        q = form.cleaned_data["q"]
        qs = qs.filter(
            Q(username__icontains=q)
            | Q(display_name__icontains=q)
            | Q(unit__name__icontains=q)
        )
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "security/accounts.html", {"form": form, "page": page})


def account_create(request: HttpRequest) -> HttpResponse:
    require_system_admin(request.user)
    form = AccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user, password = services.account_admin_create(
                by=request.user,
                username=data["username"],
                display_name=data["display_name"],
                role=data["role"],
                unit=data["unit"],
                email=data["email"],
                phone=data["phone"],
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return render(
                request,
                "security/one_time_password.html",
                {"account": user, "password": password, "created": True},
            )
    return render(request, "security/account_form.html", {"form": form})


def account_edit(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_account_for(request.user, pk)
    initial = {
        "display_name": account.display_name,
        "role": account.role,
        "unit": account.unit,
        "email": account.email,
        "phone": account.phone,
        "is_active": account.is_active,
    }
    managed = services.may_manage_account(account)
    if request.method == "POST" and not managed:
        raise PermissionDenied
    form = AccountForm(request.POST or None, initial=initial, account=account)
    if request.method == "POST" and form.is_valid():
        try:
            services.account_admin_update(
                by=request.user, user=account, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("账号 %(u)s 已保存。") % {"u": account.username}
            )
            return redirect("security:accounts")
    return render(
        request,
        "security/account_form.html",
        {
            "form": form,
            "account": account,
            "has_otp": TOTPDevice.objects.filter(user=account).exists(),
            "managed": managed,
        },
    )


def account_password_reset(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_managed_account_for(request.user, pk)
    if request.method == "POST":
        password = services.password_reset(
            user=account, by=request.user, request=request
        )
        return render(
            request,
            "security/one_time_password.html",
            {"account": account, "password": password, "created": False},
        )
    return render(
        request,
        "security/confirm.html",
        {
            "title": _("重置密码"),
            "message": _(
                "将为 %(name)s（%(u)s）生成一次性密码，原密码立即失效，其下次登录须修改密码。"
            )
            % {"name": account, "u": account.username},
            "action": reverse("security:account_password_reset", args=[account.pk]),
            "back": reverse("security:account_edit", args=[account.pk]),
            "button": _("确认重置密码"),
        },
    )


def account_otp_reset(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_managed_account_for(request.user, pk)
    if request.method == "POST":
        services.otp_reset(user=account, by=request.user, request=request)
        messages.success(
            request,
            _("已重置 %(u)s 的双因素认证，其下次登录须重新绑定验证器。")
            % {"u": account.username},
        )
        return redirect("security:account_edit", pk=account.pk)
    return render(
        request,
        "security/confirm.html",
        {
            "title": _("重置双因素认证"),
            "message": _(
                "将删除 %(name)s（%(u)s）的手机验证器和恢复码（如手机遗失）。其下次登录须重新绑定。"
            )
            % {"name": account, "u": account.username},
            "action": reverse("security:account_otp_reset", args=[account.pk]),
            "back": reverse("security:account_edit", args=[account.pk]),
            "button": _("确认重置"),
        },
    )


# --- the security administrator: policy and roles ---------------------------------


def policy(request: HttpRequest) -> HttpResponse:
    require_security_admin(request.user)
    current, _created = SecurityPolicy.objects.get_or_create(pk=1)
    form = PolicyForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in SecurityPolicy.EDITABLE}
        services.policy_update(by=request.user, values=values, request=request)
        messages.success(request, _("安全策略已保存，新登录即按新策略执行。"))
        return redirect("security:policy")
    return render(request, "security/policy.html", {"form": form, "policy": current})


def roles(request: HttpRequest) -> HttpResponse:
    require_security_admin(request.user)
    form = RoleGrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.admin_role_grant(
                user=form.cleaned_data["user"],
                role=form.cleaned_data["role"],
                by=request.user,
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("管理角色已授予。"))
            return redirect("security:roles")
    grants = AdminRole.objects.select_related("user", "granted_by")
    return render(
        request,
        "security/roles.html",
        {"form": form, "grants": grants, "me": request.user},
    )


def role_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    grant = get_grant_for(request.user, pk)
    if grant.user_id == request.user.pk:
        raise PermissionDenied
    if request.method == "POST":
        services.admin_role_revoke(grant=grant, by=request.user, request=request)
        messages.success(request, _("管理角色已撤销。"))
        return redirect("security:roles")
    return render(
        request,
        "security/confirm.html",
        {
            "title": _("撤销管理角色"),
            "message": _("将撤销 %(name)s 的“%(role)s”角色。")
            % {"name": grant.user, "role": grant.get_role_display()},
            "action": reverse("security:role_revoke", args=[grant.pk]),
            "back": reverse("security:roles"),
            "button": _("确认撤销"),
        },
    )


# --- the audit administrator: the audit log --------------------------------------


def _audit_entries(request: HttpRequest) -> tuple[AuditFilterForm, object]:
    form = AuditFilterForm(request.GET or None)
    return form, AuditEntry.objects.search(**form.filters())


@require_GET
def audit_list(request: HttpRequest) -> HttpResponse:
    require_audit_admin(request.user)
    form, qs = _audit_entries(request)
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    export_query = urlencode(
        {k: v for k, v in request.GET.items() if k != "page" and v}
    )
    return render(
        request,
        "security/audit_list.html",
        {"form": form, "page": page, "export_query": export_query},
    )


@require_GET
def audit_detail(request: HttpRequest, seq: int) -> HttpResponse:
    entry = get_audit_entry_for(request.user, seq)
    return render(request, "security/audit_detail.html", {"entry": entry})


AUDIT_HEADERS = [
    _("序号"),
    _("时间"),
    _("账号"),
    _("IP 地址"),
    _("事件"),
    _("对象"),
    _("结果"),
    _("地址"),
    _("详情"),
    _("哈希"),
]


@require_GET
@limited("export")
def audit_export(request: HttpRequest) -> HttpResponse:
    require_audit_admin(request.user)
    from jinwei_ip.lib.xlsx import write_table

    form, qs = _audit_entries(request)
    if form.is_bound and not form.is_valid():
        messages.error(request, _("筛选条件有误，请修改后再导出。"))
        return redirect("security:audit")
    rows = [
        [
            e.seq,
            timezone.localtime(e.created_at).strftime("%Y-%m-%d %H:%M:%S"),
            e.username,
            e.ip,
            e.action_label,
            e.object,
            e.get_result_display(),
            f"{e.method} {e.path}".strip(),
            ", ".join(f"{k}={v}" for k, v in e.detail.items()),
            e.hash,
        ]
        for e in qs[:50000]
    ]
    today = timezone.localdate().isoformat()
    data = write_table(
        title=_("审计记录"),
        caption=_("审计记录（%(d)s 导出，共 %(n)d 条）") % {"d": today, "n": len(rows)},
        headers=[str(h) for h in AUDIT_HEADERS],
        rows=rows,
        widths=[8, 20, 14, 16, 16, 30, 8, 36, 40, 20],
    )
    log_event(
        request,
        "audit_export",
        count=len(rows),
        **{k: str(v) for k, v in form.filters().items()},
    )
    response = HttpResponse(
        data,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = content_disposition_header(
        True, f"审计记录-{today}.xlsx"
    )
    return response


@require_GET
def audit_verify(request: HttpRequest) -> HttpResponse:
    require_audit_admin(request.user)
    checked, broken = verify_chain()
    return render(
        request,
        "security/audit_verify.html",
        {"checked": checked, "broken": broken},
    )


# --- everyone: two-factor and password -----------------------------------------------


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, True):
        return target
    return reverse("home")


def _verified(request: HttpRequest) -> bool:
    """Not in the middle of a sign-in that still owes its second factor."""
    return request.session.get(NEEDS_OTP) != "verify"


def otp_status(request: HttpRequest) -> HttpResponse:
    if not _verified(request):
        return redirect("security:otp_verify")
    device = services.otp_device_confirmed(request.user)
    static = StaticDevice.objects.filter(user=request.user).first()
    return render(
        request,
        "security/otp_status.html",
        {
            "device": device,
            "codes_left": static.token_set.count() if static else 0,
            "required": services.requires_two_factor(request.user),
        },
    )


def otp_enrol(request: HttpRequest) -> HttpResponse:
    if not _verified(request):
        return redirect("security:otp_verify")
    device = services.otp_enrolment_device(request.user)
    form = OtpConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = services.otp_enrol_confirm(
            user=request.user,
            device=device,
            token=form.cleaned_data["token"],
            request=request,
        )
        if codes is None:
            form.add_error("token", _("验证码不正确，请核对手机时间后重新输入。"))
        else:
            otp_login(request, device)
            request.session.pop(NEEDS_OTP, None)
            return render(
                request, "security/recovery_codes.html", {"codes": codes, "new": True}
            )
    key = b32encode(device.bin_key).decode()
    return render(
        request,
        "security/otp_enrol.html",
        {
            "form": form,
            "key": " ".join(key[i : i + 4] for i in range(0, len(key), 4)),
            "forced": request.session.get(NEEDS_OTP) == "enrol",
        },
    )


@require_GET
def otp_qr(request: HttpRequest) -> HttpResponse:
    """The enrolment QR code (SVG) of the person's unconfirmed device."""
    import qrcode
    import qrcode.image.svg

    if not _verified(request):
        raise PermissionDenied
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        raise PermissionDenied
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    return HttpResponse(image.to_string(), content_type="image/svg+xml")


@ratelimit(key="user", rate="10/m", group="otp", methods=("POST",))
def otp_verify(request: HttpRequest) -> HttpResponse:
    if request.session.get(NEEDS_OTP) != "verify":
        return redirect(_next_url(request))
    form = OtpTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = services.otp_verify(
            user=request.user, token=form.cleaned_data["token"]
        )
        if device is None:
            log_event(request, "otp_failed")
            form.add_error("token", _("验证码不正确或已使用，请重新输入。"))
        else:
            otp_login(request, device)
            request.session.pop(NEEDS_OTP, None)
            log_event(
                request,
                "otp_verified",
                device="recovery" if isinstance(device, StaticDevice) else "totp",
            )
            return redirect(_next_url(request))
    return render(
        request,
        "security/otp_verify.html",
        {"form": form, "next": _next_url(request)},
    )


def otp_recovery(request: HttpRequest) -> HttpResponse:
    if not _verified(request):
        return redirect("security:otp_verify")
    if services.otp_device_confirmed(request.user) is None:
        return redirect("security:otp_enrol")
    if request.method == "POST":
        codes = services.recovery_codes_new(user=request.user, request=request)
        return render(
            request, "security/recovery_codes.html", {"codes": codes, "new": False}
        )
    return render(
        request,
        "security/confirm.html",
        {
            "title": _("重新生成恢复码"),
            "message": _("生成 10 个新的恢复码，原有恢复码全部失效。"),
            "action": reverse("security:otp_recovery"),
            "back": reverse("security:otp_status"),
            "button": _("生成新恢复码"),
        },
    )


class PolicyPasswordChangeView(PasswordChangeView):
    """Django's password change, which also ends a forced change (first sign-in,
    expiry) and records the change in the audit log."""

    success_url = reverse_lazy("password_change_done")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["reason"] = self.request.session.get(NEEDS_PASSWORD)
        return context

    def form_valid(self, form):
        response = super().form_valid(form)
        self.request.session.pop(NEEDS_PASSWORD, None)
        log_event(self.request, "password_change")
        return response
