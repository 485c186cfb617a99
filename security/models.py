"""Security administration: the three administrators' roles (三员分立), the security
policy set in the browser, password state and history, and the audit log."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AdminRole(models.Model):
    """One of the three administrators' roles held by an account.

    An account holds at most one of them (the one-to-one is the separation of
    duties); business roles (office, leader, unit) stay on ``members.User.role``.
    Granted and revoked only through ``services.admin_role_grant/revoke``.
    """

    class Role(models.TextChoices):
        SYSTEM = "system", _("系统管理员")
        SECURITY = "security", _("安全管理员")
        AUDIT = "audit", _("审计管理员")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("账号"),
        on_delete=models.CASCADE,
        related_name="admin_role",
    )
    role = models.CharField(_("管理角色"), max_length=20, choices=Role.choices)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("授权人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    granted_at = models.DateTimeField(_("授权时间"), default=timezone.now)

    class Meta:
        ordering = ["role", "user__username"]
        verbose_name = _("管理角色")
        verbose_name_plural = _("管理角色")

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"

    def get_absolute_url(self) -> str:
        return reverse("security:roles")


class SecurityPolicy(models.Model):
    """The security settings, one row, changed by the security administrator."""

    password_min_length = models.PositiveSmallIntegerField(
        _("密码最小长度"),
        default=8,
        validators=[MinValueValidator(8), MaxValueValidator(64)],
    )
    password_min_classes = models.PositiveSmallIntegerField(
        _("密码至少包含的字符种类"),
        default=3,
        validators=[MinValueValidator(3), MaxValueValidator(4)],
        help_text=_("大写字母、小写字母、数字、符号四类中至少几类。"),
    )
    password_history = models.PositiveSmallIntegerField(
        _("不得重复使用最近几次密码"),
        default=5,
        validators=[MinValueValidator(5), MaxValueValidator(24)],
    )
    password_max_age_days = models.PositiveSmallIntegerField(
        _("密码有效期（天）"),
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    lockout_failures = models.PositiveSmallIntegerField(
        _("连续失败几次锁定"),
        default=5,
        validators=[MinValueValidator(3), MaxValueValidator(10)],
    )
    lockout_minutes_1 = models.PositiveIntegerField(
        _("第一次锁定时长（分钟）"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(1440)],
    )
    lockout_minutes_2 = models.PositiveIntegerField(
        _("第二次锁定时长（分钟）"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(1440)],
    )
    lockout_minutes_3 = models.PositiveIntegerField(
        _("第三次及以后锁定时长（分钟）"),
        default=240,
        validators=[MinValueValidator(1), MaxValueValidator(10080)],
    )
    session_idle_minutes = models.PositiveSmallIntegerField(
        _("会话空闲超时（分钟）"),
        default=30,
        validators=[MinValueValidator(5), MaxValueValidator(480)],
    )
    two_factor_office = models.BooleanField(
        _("办公室工作人员须使用双因素认证"), default=True
    )
    two_factor_leaders = models.BooleanField(_("领导须使用双因素认证"), default=True)
    two_factor_units = models.BooleanField(
        _("成员单位账号须使用双因素认证"), default=False
    )
    updated_at = models.DateTimeField(_("修改时间"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("修改人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("安全策略")
        verbose_name_plural = _("安全策略")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(pk=1), name="securitypolicy_single_row"
            )
        ]

    def __str__(self) -> str:
        return str(_("安全策略"))

    def get_absolute_url(self) -> str:
        return reverse("security:policy")

    @property
    def cooloff_tiers(self) -> list[timedelta]:
        return [
            timedelta(minutes=self.lockout_minutes_1),
            timedelta(minutes=self.lockout_minutes_2),
            timedelta(minutes=self.lockout_minutes_3),
        ]

    EDITABLE = [
        "password_min_length",
        "password_min_classes",
        "password_history",
        "password_max_age_days",
        "lockout_failures",
        "lockout_minutes_1",
        "lockout_minutes_2",
        "lockout_minutes_3",
        "session_idle_minutes",
        "two_factor_office",
        "two_factor_leaders",
        "two_factor_units",
    ]

    def values(self) -> dict[str, int | bool]:
        return {name: getattr(self, name) for name in self.EDITABLE}


class AccountSecurity(models.Model):
    """An account's password state: when it was last changed and whether the
    holder must choose a new one at the next sign-in (set when an administrator
    creates the account or resets its password)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("账号"),
        on_delete=models.CASCADE,
        related_name="security",
    )
    password_changed_at = models.DateTimeField(_("密码修改时间"), default=timezone.now)
    must_change_password = models.BooleanField(_("下次登录须修改密码"), default=False)

    class Meta:
        verbose_name = _("账号安全状态")
        verbose_name_plural = _("账号安全状态")

    def __str__(self) -> str:
        return str(self.user)

    def password_expired(self, max_age_days: int) -> bool:
        return timezone.now() - self.password_changed_at > timedelta(days=max_age_days)


class PasswordHistory(models.Model):
    """The hashes of an account's earlier passwords (no reuse of the last N)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("账号"),
        on_delete=models.CASCADE,
        related_name="password_history",
    )
    password = models.CharField(_("密码哈希"), max_length=128)
    created_at = models.DateTimeField(_("设置时间"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("历史密码")
        verbose_name_plural = _("历史密码")
        indexes = [models.Index(fields=["user", "-created_at"], name="pwhist_user")]

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d}"


class AuditEntryQuerySet(models.QuerySet):
    def search(
        self, *, q: str = "", action: str = "", result: str = "", since=None, until=None
    ):
        qs = self
        if q:
            qs = qs.filter(
                models.Q(username__icontains=q)
                | models.Q(ip__icontains=q)
                | models.Q(object__icontains=q)
                | models.Q(path__icontains=q)
            )
        if action:
            qs = qs.filter(action=action)
        if result:
            qs = qs.filter(result=result)
        if since:
            qs = qs.filter(created_at__date__gte=since)
        if until:
            qs = qs.filter(created_at__date__lte=until)
        return qs


class AuditEntry(models.Model):
    """One audited event. Written only by ``security.audit.record`` (append-only:
    no page, admin or service changes or deletes a row except ``audit_purge`` of
    rows past the retention period); each row carries the hash of the row before
    it, so a changed, inserted or removed row breaks the chain
    (``manage.py audit_verify``)."""

    class Result(models.TextChoices):
        SUCCESS = "success", _("成功")
        FAILURE = "failure", _("失败")
        DENIED = "denied", _("拒绝")

    seq = models.PositiveBigIntegerField(_("序号"), unique=True)
    created_at = models.DateTimeField(_("时间"), db_index=True)
    user_id_value = models.BigIntegerField(_("账号编号"), null=True, blank=True)
    username = models.CharField(_("账号"), max_length=150, blank=True)
    ip = models.CharField(_("IP 地址"), max_length=64, blank=True)
    action = models.CharField(_("事件"), max_length=40, db_index=True)
    object = models.CharField(_("对象"), max_length=200, blank=True)
    result = models.CharField(
        _("结果"), max_length=10, choices=Result.choices, default=Result.SUCCESS
    )
    method = models.CharField(_("请求方法"), max_length=10, blank=True)
    path = models.CharField(_("地址"), max_length=300, blank=True)
    detail = models.JSONField(_("详情"), default=dict, blank=True)
    prev_hash = models.CharField(_("前一条哈希"), max_length=64)
    hash = models.CharField(_("哈希"), max_length=64)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-seq"]
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        default_permissions = ("view",)
        permissions = [("export_auditentry", _("导出审计记录"))]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.username}"

    def get_absolute_url(self) -> str:
        return reverse("security:audit_detail", args=[self.seq])

    @property
    def action_label(self) -> str:
        from .audit import ACTION_LABELS

        return str(ACTION_LABELS.get(self.action, self.action))

    def canonical(self) -> bytes:
        """The bytes the hash covers: every field but the hash itself."""
        fields = {
            "seq": self.seq,
            "created_at": self.created_at.astimezone(UTC).isoformat(),
            "user_id": self.user_id_value,
            "username": self.username,
            "ip": self.ip,
            "action": self.action,
            "object": self.object,
            "result": self.result,
            "method": self.method,
            "path": self.path,
            "detail": self.detail,
            "prev_hash": self.prev_hash,
        }
        return json.dumps(
            fields, sort_keys=True, ensure_ascii=False, separators=(",", ":")
        ).encode()

    def compute_hash(self) -> str:
        return hashlib.sha256(self.canonical()).hexdigest()


class AuditChainHead(models.Model):
    """The one row every audit write locks first, so the chain stays linear when
    several processes write at once: its update takes a row lock on PostgreSQL
    (and the database's write lock on SQLite) until the writer commits."""

    seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = _("审计链头")
        verbose_name_plural = _("审计链头")
        default_permissions = ()
        constraints = [
            models.CheckConstraint(
                condition=models.Q(pk=1), name="auditchainhead_single_row"
            )
        ]

    def __str__(self) -> str:
        return f"#{self.seq}"
