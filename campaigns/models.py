"""Joint enforcement actions and publicity campaigns (联合执法行动、大型宣传活动).

A campaign has participating units that report figures (indicators from the
office's catalogue) for each reporting period, with a narrative, typical cases
and evidence. Figures are entered once per unit and period (one row per
indicator); every total is computed from them in the database (``figures.py``).
"""

from __future__ import annotations

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from members.models import granted_object_ids


class Kind(models.TextChoices):
    ENFORCEMENT = "enforcement", _("联合执法行动")
    PUBLICITY = "publicity", _("宣传活动")
    OTHER = "other", _("其他专项工作")


class Indicator(models.Model):
    """An indicator of the office's catalogue (出动执法人员（人次）…)."""

    class ValueType(models.TextChoices):
        INTEGER = "integer", _("整数")
        DECIMAL = "decimal", _("小数（两位）")

    class Check(models.TextChoices):
        NONE = "", _("无")
        FILED = "filed", _("立案数（结案不得超过）")
        CLOSED = "closed", _("结案数（不得超过立案）")

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("指标名称"), max_length=60)
    measure = models.CharField(_("计量单位"), max_length=20)
    value_type = models.CharField(
        _("数值类型"),
        max_length=10,
        choices=ValueType.choices,
        default=ValueType.INTEGER,
    )
    default_for = models.CharField(
        _("默认用于"),
        max_length=20,
        choices=Kind.choices,
        blank=True,
        help_text=_("新建该类活动时默认选用的指标。"),
    )
    cumulative = models.BooleanField(
        _("累计数"),
        default=False,
        help_text=_(
            "各期填报截至当期的累计数（如阅读量）；合计取最近一期，"
            "比上一期减少时须说明理由。"
        ),
    )
    check_role = models.CharField(
        _("校验规则"), max_length=10, choices=Check.choices, blank=True
    )
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("统计指标")
        verbose_name_plural = _("统计指标目录")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return f"{self.name}（{self.measure}）"

    @property
    def is_integer(self) -> bool:
        return self.value_type == self.ValueType.INTEGER


class CampaignQuerySet(models.QuerySet):
    def visible_to(self, user) -> CampaignQuerySet:
        """Everything for the office and leaders; for a unit's accounts the
        campaigns whose ``view_campaign`` permission their groups hold."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.sees_everything:
            return self.all()
        return self.filter(
            pk__in=granted_object_ids(
                CampaignGroupObjectPermission, user, "view_campaign"
            )
        )

    def for_unit(self, unit) -> CampaignQuerySet:
        return self.filter(participant_links__unit=unit)

    def current(self) -> CampaignQuerySet:
        return self.filter(status__in=Campaign.OPEN_STATUSES)


class Campaign(models.Model):
    Kind = Kind

    class Schedule(models.TextChoices):
        WEEKLY = "weekly", _("每周报送")
        MONTHLY = "monthly", _("每月报送")
        END = "end", _("活动结束时报送")
        DATES = "dates", _("指定日期报送")

    class Status(models.TextChoices):
        PREPARING = "preparing", _("筹备")
        ACTIVE = "active", _("进行中")
        SUMMARISING = "summarising", _("总结")
        ARCHIVED = "archived", _("已归档")

    OPEN_STATUSES = [Status.PREPARING, Status.ACTIVE, Status.SUMMARISING]
    # Reports are filed and corrected while the campaign runs and while it is
    # being summed up (late reports); an archived campaign is frozen.
    REPORTING_STATUSES = [Status.ACTIVE, Status.SUMMARISING]

    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=120)
    start_on = models.DateField(_("开始日期"))
    end_on = models.DateField(_("结束日期"))
    schedule = models.CharField(
        _("报送周期"), max_length=10, choices=Schedule.choices, default=Schedule.END
    )
    organiser = models.ForeignKey(
        "members.Unit",
        verbose_name=_("牵头单位"),
        on_delete=models.PROTECT,
        related_name="organised_campaigns",
    )
    units = models.ManyToManyField(
        "members.Unit",
        verbose_name=_("参加单位"),
        through="Participant",
        related_name="campaigns",
    )
    decision = models.ForeignKey(
        "meetings.Decision",
        verbose_name=_("来源议定事项"),
        on_delete=models.PROTECT,
        related_name="campaigns",
        null=True,
        blank=True,
    )
    task = models.ForeignKey(
        "tasks.Task",
        verbose_name=_("来源计划任务"),
        on_delete=models.PROTECT,
        related_name="campaigns",
        null=True,
        blank=True,
    )
    duties = models.ManyToManyField(
        "duties.DutyClause",
        verbose_name=_("依据联合职责"),
        related_name="campaigns",
        blank=True,
    )
    description = models.TextField(_("活动内容"), blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.PREPARING
    )
    summary = models.TextField(
        _("总结正文"),
        blank=True,
        help_text=_(
            "总结阶段由办公室撰写，印入工作总结；分段书写，“一、”开头的段落为标题。"
        ),
    )
    summary_issued_at = models.DateTimeField(_("总结印发时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    edit_version = models.PositiveIntegerField(default=1, editable=False)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-start_on", "-pk"]
        verbose_name = _("专项行动")
        verbose_name_plural = _("专项行动")
        permissions = [
            ("report_campaign", _("报送专项行动数据")),
            ("lead_campaign", _("以牵头单位身份组织专项行动")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__gte=models.F("start_on")),
                name="campaign_period_order",
            ),
            models.CheckConstraint(
                condition=Q(decision__isnull=True) | Q(task__isnull=True),
                name="campaign_one_origin",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "start_on"], name="campaign_status_start"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("campaigns:detail", args=[self.pk])

    def get_status_display(self) -> str:
        return str(self.Status(self.status).label)

    def get_kind_display(self) -> str:
        return str(Kind(self.kind).label)

    @property
    def summary_title(self) -> str:
        """The summary's title: 专项行动工作总结 / 宣传活动总结 after the name, or
        only 工作总结 / 总结 when the name already ends in 行动 or 活动
        (…联合行动工作总结, …宣传周活动总结)."""
        publicity = self.kind == Kind.PUBLICITY
        if self.name.endswith(("行动", "活动")):
            return self.name + ("总结" if publicity else "工作总结")
        return self.name + ("宣传活动总结" if publicity else "专项行动工作总结")

    @property
    def is_reporting(self) -> bool:
        return self.status in self.REPORTING_STATUSES

    @property
    def next_status(self) -> str | None:
        order = list(self.Status.values)
        i = order.index(self.status)
        return order[i + 1] if i + 1 < len(order) else None


class CampaignUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Campaign, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        abstract = False


class CampaignGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Campaign, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        abstract = False


class Participant(models.Model):
    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="participant_links"
    )
    unit = models.ForeignKey("members.Unit", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("参加单位")
        verbose_name_plural = _("参加单位")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "unit"], name="campaign_unit_once"
            )
        ]
        indexes = [models.Index(fields=["unit", "campaign"], name="participant_unit")]

    def __str__(self) -> str:
        return f"{self.campaign} / {self.unit}"


class CampaignIndicator(models.Model):
    """An indicator a campaign collects, and which participating units report it
    (none chosen: every participating unit)."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="indicator_links"
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    units = models.ManyToManyField(
        "members.Unit", verbose_name=_("须报送的单位"), related_name="+", blank=True
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "indicator__order", "pk"]
        verbose_name = _("活动指标")
        verbose_name_plural = _("活动指标")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "indicator"], name="campaign_indicator_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign} / {self.indicator}"


class ReportingPeriod(models.Model):
    """One reporting period of a campaign: its days and the deadline of its reports."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="periods"
    )
    number = models.PositiveSmallIntegerField(_("期次"))
    start_on = models.DateField(_("起始日期"))
    end_on = models.DateField(_("截止日期"))
    due_on = models.DateField(_("报送时限"))

    class Meta:
        ordering = ["campaign", "number"]
        verbose_name = _("报送期")
        verbose_name_plural = _("报送期")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "number"], name="period_unique_number"
            ),
            models.CheckConstraint(
                condition=Q(end_on__gte=models.F("start_on")),
                name="period_order",
            ),
        ]
        indexes = [models.Index(fields=["due_on"], name="period_due")]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """第2期（3月1日—3月7日）"""
        return (
            f"第{self.number}期（{self.start_on.month}月{self.start_on.day}日—"
            f"{self.end_on.month}月{self.end_on.day}日）"
        )

    def has_started(self, today: date | None = None) -> bool:
        return self.start_on <= (today or timezone.localdate())


class UnitReport(models.Model):
    """A unit's report for one period: figures, narrative, typical cases, evidence."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("已报送")
        RETURNED = "returned", _("已退回")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="reports"
    )
    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.CASCADE, related_name="reports"
    )
    unit = models.ForeignKey(
        "members.Unit",
        verbose_name=_("报送单位"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    narrative = models.TextField(_("工作情况"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报送人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("报送时间"))
    returned_reason = models.TextField(_("退回理由"), blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    returned_at = models.DateTimeField(_("退回时间"), null=True, blank=True)
    # Optimistic locking: an edit names the version it started from.
    edit_version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["period__number", "unit__order"]
        verbose_name = _("单位报表")
        verbose_name_plural = _("单位报表")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "unit"], name="report_once_per_period"
            )
        ]
        indexes = [
            models.Index(fields=["campaign", "unit"], name="unit_report_campaign"),
            models.Index(fields=["unit", "status"], name="unit_report_unit_status"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} {self.period.label} {self.unit}"

    def get_absolute_url(self) -> str:
        return reverse("campaigns:report", args=[self.pk])

    @property
    def is_returned(self) -> bool:
        return self.status == self.Status.RETURNED


class Figure(models.Model):
    """One indicator's figure in one unit's report for one period (entered once)."""

    report = models.ForeignKey(
        UnitReport, on_delete=models.CASCADE, related_name="figures"
    )
    # The report's campaign, period and unit again, so totals group and filter
    # on one table (the campaign page and the dashboard aggregate over it).
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey("members.Unit", on_delete=models.PROTECT, related_name="+")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(_("数值"), max_digits=14, decimal_places=2)
    note = models.CharField(_("减少说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("统计数据")
        verbose_name_plural = _("统计数据")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "unit", "indicator"], name="figure_once_per_period"
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0), name="figure_not_negative"
            ),
        ]
        indexes = [
            models.Index(
                fields=["campaign", "unit", "indicator"], name="figure_campaign_unit"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report} {self.indicator}: {self.value}"


class TypicalCase(models.Model):
    """A typical case (典型案例) of a unit's report."""

    report = models.ForeignKey(
        UnitReport, on_delete=models.CASCADE, related_name="cases"
    )
    title = models.CharField(_("案例标题"), max_length=120)
    summary = models.TextField(_("简要案情"))
    amount = models.DecimalField(
        _("涉案金额（万元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    penalty = models.DecimalField(
        _("罚没款（万元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("典型案例")
        verbose_name_plural = _("典型案例")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="case_amount_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(penalty__isnull=True) | Q(penalty__gte=0),
                name="case_penalty_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.title


def evidence_path(instance: ReportEvidence, filename: str) -> str:
    # The stored name never comes from the user; the original is kept in a field.
    return f"campaigns/{instance.report.campaign_id}/{uuid.uuid4().hex}"


class ReportEvidence(models.Model):
    report = models.ForeignKey(
        UnitReport, on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(_("文件"), upload_to=evidence_path, max_length=200)
    original_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("campaigns:evidence", args=[self.pk])


class CampaignEvent(models.Model):
    """A step in a campaign's life, shown on its page (who, when, what, why)."""

    class Kind(models.TextChoices):
        CREATED = "created", _("创建")
        EDITED = "edited", _("修改")
        STARTED = "started", _("启动")
        SUMMARISING = "summarising", _("进入总结")
        ARCHIVED = "archived", _("印发总结并归档")
        REPORTED = "reported", _("报送数据")
        CORRECTED = "corrected", _("修改报表")
        RETURNED = "returned", _("退回报表")
        REMINDED = "reminded", _("催报")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("事项"), max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "members.Unit",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    note = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("活动动态")
        verbose_name_plural = _("活动动态")

    def __str__(self) -> str:
        return f"{self.campaign} {self.get_kind_display()}"
