"""Supervised tasks (督查督办): from decided matters and work plans to closure."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Case, Q, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from jinwei_ip.lib import workdays as calendar
from members.models import granted_object_ids


class WorkPlan(models.Model):
    """An annual work plan (知识产权强区建设工作计划) whose items become tasks."""

    group = models.ForeignKey(
        "members.LeadingGroup", on_delete=models.PROTECT, related_name="work_plans"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("计划名称"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("导入时间"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "-created_at"]
        verbose_name = _("年度工作计划")
        verbose_name_plural = _("年度工作计划")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("tasks:plan", args=[self.pk])


class TaskQuerySet(models.QuerySet):
    def open(self) -> TaskQuerySet:
        # Listed, not excluded: ``status IN (...)`` reads the (status, due_on)
        # index, ``status <> 'closed'`` reads every task of every year.
        return self.filter(status__in=Task.OPEN_STATUSES)

    def overdue(self, today: date | None = None) -> TaskQuerySet:
        return self.open().filter(due_on__lt=today or timezone.localdate())

    def for_unit(self, unit) -> TaskQuerySet:
        """Tasks a unit leads or co-handles. The co-units through a subquery, not a
        join: nothing to de-duplicate, so aggregates over it (the dashboard's
        figures) count each task once."""
        return self.filter(
            Q(lead_unit=unit)
            | Q(pk__in=CoUnit.objects.filter(unit=unit).values("task"))
        )

    def visible_to(self, user) -> TaskQuerySet:
        """Tasks a person may see: everything for the office and leaders; for a unit's
        accounts, the tasks whose ``view_task`` object permission their groups hold
        (the guardian direct-FK table, written only by the task services)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.sees_everything:
            return self.all()
        return self.filter(
            pk__in=granted_object_ids(TaskGroupObjectPermission, user, "view_task")
        )

    def with_source_title(self) -> TaskQuerySet:
        """Annotate ``source_title``: the meeting's title for a decided matter's
        task, the plan's for a work-plan item (two one-row subqueries, which the
        database plans far faster than four more joins)."""
        decision = self.model._meta.get_field("decision").related_model
        return self.annotate(
            source_title=Coalesce(
                models.Subquery(
                    decision.objects.filter(pk=models.OuterRef("decision_id"))
                    .order_by()
                    .values("minutes__meeting__title")[:1]
                ),
                models.Subquery(
                    WorkPlan.objects.filter(pk=models.OuterRef("plan_id"))
                    .order_by()
                    .values("title")[:1]
                ),
            )
        )

    def by_urgency(self) -> TaskQuerySet:
        """Red first, then yellow, green, grey; nearest deadline first within a light.
        Needs ``with_light()``.

        The rank repeats the light's own conditions instead of testing the light
        three times: ``CASE WHEN (light) = 'red' …`` put four copies of the light
        rule in every list query, which Django compiled and PostgreSQL evaluated
        on every visible row (bench/README.md, load)."""
        light = self.query.annotations["light_value"]
        rank = {
            Task.Light.RED: 0,
            Task.Light.YELLOW: 1,
            Task.Light.GREEN: 2,
            Task.Light.GREY: 3,
        }
        return self.annotate(
            light_rank=Case(
                *(
                    When(case.condition, then=Value(rank[case.result.value]))
                    for case in light.cases
                ),
                default=Value(rank[light.default.value]),
                output_field=models.IntegerField(),
            )
        ).order_by("light_rank", "due_on", "code")

    def with_light(self, today: date | None = None) -> TaskQuerySet:
        """Annotate ``light_value`` computed in the database (same rule as ``Task.light``)."""
        today = today or timezone.localdate()
        warn_until, stale_before = Task.light_thresholds(today)
        return self.annotate(
            light_value=Case(
                When(status=Task.Status.CLOSED, then=Value(Task.Light.GREY)),
                When(due_on__lt=today, then=Value(Task.Light.RED)),
                When(due_on__lte=warn_until, then=Value(Task.Light.YELLOW)),
                When(
                    Q(last_activity_at__lt=stale_before) & Q(progress__lt=100),
                    then=Value(Task.Light.YELLOW),
                ),
                default=Value(Task.Light.GREEN),
                output_field=models.CharField(),
            )
        )


class Task(models.Model):
    class Status(models.TextChoices):
        ASSIGNED = "assigned", _("已交办")
        SIGNED = "signed", _("已签收")
        IN_PROGRESS = "in_progress", _("办理中")
        RETURNED = "returned", _("已退回")
        CLOSURE_REQUESTED = "closure_requested", _("申请销号")
        CLOSED = "closed", _("已销号")

    class Light(models.TextChoices):
        GREEN = "green", _("正常推进")
        YELLOW = "yellow", _("临期或滞后")
        RED = "red", _("已逾期")
        GREY = "grey", _("已销号")

    OPEN_STATUSES = [
        Status.ASSIGNED,
        Status.SIGNED,
        Status.IN_PROGRESS,
        Status.RETURNED,
        Status.CLOSURE_REQUESTED,
    ]

    code = models.CharField(_("任务编号"), max_length=40, unique=True)
    title = models.CharField(_("任务名称"), max_length=200)
    description = models.TextField(_("任务内容"))
    decision = models.ForeignKey(
        "meetings.Decision",
        verbose_name=_("议定事项"),
        on_delete=models.PROTECT,
        related_name="tasks",
        null=True,
        blank=True,
    )
    plan = models.ForeignKey(
        WorkPlan,
        verbose_name=_("工作计划"),
        on_delete=models.PROTECT,
        related_name="tasks",
        null=True,
        blank=True,
    )
    lead_unit = models.ForeignKey(
        "members.Unit",
        verbose_name=_("牵头单位"),
        on_delete=models.PROTECT,
        related_name="led_tasks",
    )
    co_units = models.ManyToManyField(
        "members.Unit",
        verbose_name=_("配合单位"),
        through="CoUnit",
        related_name="co_tasks",
        blank=True,
    )
    duties = models.ManyToManyField(
        "duties.DutyClause",
        verbose_name=_("依据职责"),
        related_name="tasks",
        blank=True,
    )
    original_due_on = models.DateField(_("原定完成时限"))
    due_on = models.DateField(_("完成时限"), help_text=_("经批准延期后的现行时限。"))
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.ASSIGNED
    )
    progress = models.PositiveSmallIntegerField(_("完成进度（%）"), default=0)
    signed_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    closure_requested_at = models.DateTimeField(
        _("申请销号时间"), null=True, blank=True
    )
    closed_at = models.DateTimeField(_("销号时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    return_reason = models.TextField(_("退回理由"), blank=True)
    last_activity_at = models.DateTimeField(
        _("最近办理时间"),
        help_text=_("交办、签收或报送进展的最近时间，用于判断进展是否滞后。"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("交办时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    # Optimistic locking: every edit checks and bumps it, so no update is lost.
    edit_version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "code"]
        verbose_name = _("督办任务")
        verbose_name_plural = _("督办任务")
        permissions = [
            ("report_task", _("报送任务进展")),
            ("lead_task", _("以牵头单位身份办理任务")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(decision__isnull=False) | Q(plan__isnull=False),
                name="task_has_source",
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="task_progress_percent"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_on"], name="task_status_due"),
            models.Index(fields=["lead_unit", "status"], name="task_lead_status"),
            # the default order: a unit's first page walks it and stops early
            models.Index(fields=["due_on", "code"], name="task_due_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("tasks:detail", args=[self.pk])

    @property
    def source_label(self) -> str:
        if self.decision_id:
            return str(self.decision.minutes.meeting)
        return str(self.plan) if self.plan_id else ""

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CLOSED

    # A task with no report or other activity for this long counts as lagging.
    STALE_AFTER = timedelta(days=30)

    @staticmethod
    def light_thresholds(today: date) -> tuple[date, datetime]:
        """(last due date that is "due soon", activity older than this is stale)."""
        count = settings.TASK_WARNING_WORKDAYS
        warn_until = calendar.add_workdays(
            today,
            count,
            WorkdayOverride.objects.between(today, calendar.reach(today, count)),
        )
        stale_before = timezone.make_aware(
            datetime.combine(today - Task.STALE_AFTER, datetime.min.time())
        )
        return warn_until, stale_before

    def light_on(self, today: date) -> str:
        """Green on track, yellow due within the warning window (working days) or
        lagging, red overdue, grey closed. Computed, never stored."""
        if self.status == self.Status.CLOSED:
            return self.Light.GREY
        if self.due_on < today:
            return self.Light.RED
        warn_until, stale_before = self.light_thresholds(today)
        if self.due_on <= warn_until:
            return self.Light.YELLOW
        if self.last_activity_at < stale_before and self.progress < 100:
            return self.Light.YELLOW
        return self.Light.GREEN

    @property
    def light(self) -> str:
        value = getattr(self, "light_value", None)
        return value or self.light_on(timezone.localdate())

    def get_status_display(self) -> str:
        # Django's generated version builds a dict of every choice (and makes it
        # hashable) on each call, ~80 µs; lists show it for every row.
        return str(self.Status(self.status).label)

    @property
    def light_label(self) -> str:
        return str(self.Light(self.light).label)

    @property
    def is_extended(self) -> bool:
        return self.due_on != self.original_due_on

    def co_unit_names(self) -> str:
        """The co-units' names as the ledger writes them (区司法局、区教体局); with
        ``co_unit_links`` prefetched with their units, no query."""
        return "、".join(link.unit.name for link in self.co_unit_links.all())


class TaskUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Task, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        abstract = False


class TaskGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Task, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        abstract = False


class CoUnit(models.Model):
    """A co-unit (配合单位) of a task; the office may waive its report before closure."""

    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="co_unit_links"
    )
    unit = models.ForeignKey("members.Unit", on_delete=models.PROTECT, related_name="+")
    report_waived = models.BooleanField(_("免报"), default=False)
    waived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    acknowledged_at = models.DateTimeField(_("确认收到时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("配合单位")
        verbose_name_plural = _("配合单位")
        constraints = [
            models.UniqueConstraint(fields=["task", "unit"], name="co_unit_once")
        ]

    def __str__(self) -> str:
        return f"{self.task.code} / {self.unit}"


class ProgressReport(models.Model):
    """A unit's progress report. The lead unit's covers the whole task; a co-unit's its part."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reports")
    unit = models.ForeignKey(
        "members.Unit",
        verbose_name=_("报送单位"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报送人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField(_("进展情况"))
    percent = models.PositiveSmallIntegerField(_("完成进度（%）"))
    is_lead_report = models.BooleanField(_("牵头单位总体报告"), default=False)
    returned_reason = models.TextField(_("退回理由"), blank=True)
    created_at = models.DateTimeField(_("报送时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    edit_version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("进展报告")
        verbose_name_plural = _("进展报告")
        constraints = [
            models.CheckConstraint(condition=Q(percent__lte=100), name="report_percent")
        ]
        indexes = [
            models.Index(
                fields=["task", "unit", "-created_at"], name="report_task_unit"
            )
        ]

    def __str__(self) -> str:
        return f"{self.task.code} {self.unit} {self.percent}%"

    def get_absolute_url(self) -> str:
        return self.task.get_absolute_url() + f"#report-{self.pk}"


def evidence_path(instance: Evidence, filename: str) -> str:
    # The stored name never comes from the user; the original is kept in a field.
    import uuid

    return f"evidence/{instance.report.task_id}/{uuid.uuid4().hex}"


class Evidence(models.Model):
    report = models.ForeignKey(
        ProgressReport, on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(_("文件"), upload_to=evidence_path, max_length=200)
    original_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("tasks:evidence", args=[self.pk])


class Extension(models.Model):
    """A request to move a task's deadline (延期). Old and new deadlines are both kept."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审批")
        APPROVED = "approved", _("已批准")
        REJECTED = "rejected", _("未批准")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="extensions")
    unit = models.ForeignKey("members.Unit", on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("延期理由"))
    old_due_on = models.DateField(_("原时限"))
    new_due_on = models.DateField(_("申请延至"))
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        constraints = [
            models.CheckConstraint(
                condition=Q(new_due_on__gt=models.F("old_due_on")),
                name="extension_moves_deadline_later",
            ),
            models.UniqueConstraint(
                fields=["task"],
                condition=Q(status="pending"),
                name="extension_one_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task.code} {self.old_due_on} → {self.new_due_on}"

    def get_absolute_url(self) -> str:
        return self.task.get_absolute_url() + f"#extension-{self.pk}"


class TaskEvent(models.Model):
    """A step in a task's life, shown on its timeline (who, when, what, why)."""

    class Kind(models.TextChoices):
        ASSIGNED = "assigned", _("交办")
        REASSIGNED = "reassigned", _("调整承办单位")
        SIGNED = "signed", _("签收")
        ACKNOWLEDGED = "acknowledged", _("确认收到")
        REPORTED = "reported", _("报送进展")
        EXTENSION_REQUESTED = "extension_requested", _("申请延期")
        EXTENSION_APPROVED = "extension_approved", _("批准延期")
        EXTENSION_REJECTED = "extension_rejected", _("不予延期")
        CLOSURE_REQUESTED = "closure_requested", _("申请销号")
        RETURNED = "returned", _("退回")
        WAIVED = "waived", _("免于配合单位报送")
        CLOSED = "closed", _("销号")
        EDITED = "edited", _("修改")
        FOLLOWED_UP = "followed_up", _("会议督办")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("事项"), max_length=30, choices=Kind.choices)
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
        ordering = ["created_at", "id"]
        verbose_name = _("任务动态")
        verbose_name_plural = _("任务动态")

    def __str__(self) -> str:
        return f"{self.task.code} {self.get_kind_display()}"


class WorkdayOverrideQuerySet(models.QuerySet):
    def between(self, start: date, end: date) -> dict[date, bool]:
        """The overrides from ``start`` to ``end`` as the calendar takes them."""
        return dict(
            self.filter(day__range=(start, end)).values_list("day", "is_workday")
        )


class WorkdayOverride(models.Model):
    """A day whose working status the office sets by hand (for years chinese-calendar
    does not know yet, or local adjustments)."""

    day = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("是否工作日"))
    note = models.CharField(_("说明"), max_length=100, blank=True)

    objects = WorkdayOverrideQuerySet.as_manager()

    class Meta:
        ordering = ["day"]
        verbose_name = _("工作日调整")
        verbose_name_plural = _("工作日调整")

    def __str__(self) -> str:
        return f"{self.day} {'工作日' if self.is_workday else '休息日'}"


class FollowUp(models.Model):
    """A meeting's disposition of an earlier meeting's open decided matter
    (前次会议议定事项落实情况): keep supervising it, agree to close it, move its
    deadline, or put it to the plenary. Recorded by the office for the meeting and
    printed as a section of that meeting's minutes."""

    class Disposition(models.TextChoices):
        CONTINUE = "continue", _("继续督办")
        CLOSE = "close", _("同意销号")
        RESCHEDULE = "reschedule", _("调整时限")
        REFER = "refer", _("提请全体会议研究")

    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("会议"),
        on_delete=models.CASCADE,
        related_name="follow_ups",
    )
    task = models.ForeignKey(
        Task,
        verbose_name=_("任务"),
        on_delete=models.CASCADE,
        related_name="follow_ups",
    )
    disposition = models.CharField(
        _("处理意见"), max_length=20, choices=Disposition.choices
    )
    new_due_on = models.DateField(_("调整后的时限"), null=True, blank=True)
    due_before = models.DateField(_("原时限"))
    note = models.TextField(_("说明"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        ordering = ["task__code"]
        verbose_name = _("前次会议议定事项处理意见")
        verbose_name_plural = _("前次会议议定事项处理意见")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "task"], name="follow_up_once_per_meeting"
            ),
            models.CheckConstraint(
                condition=~Q(disposition="reschedule") | Q(new_due_on__isnull=False),
                name="follow_up_reschedule_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task.code} {self.get_disposition_display()}"

    def get_absolute_url(self) -> str:
        return reverse("tasks:follow_up", args=[self.meeting_id])
