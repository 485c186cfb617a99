"""The group's year: the annual reporting round (年度工作报送), the meeting pack
(会议材料汇编) and next year's plan (知识产权强区建设工作计划).

A round asks every member unit for one submission on the office's template of
sections; the submissions, the agenda, the office's report and the open decided
matters go into the pack of the round's meeting; the units' 下年度工作打算 become
the entries of next year's plan, which turns into plan tasks once approved.
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
from simple_history.models import HistoricalRecords

from jinwei_ip.lib.workdays import add_workdays, workdays_between


class SectionKind(models.TextChoices):
    TEXT = "text", _("文字")
    DUTIES = "duties", _("职责分工落实情况（逐条）")
    PLAN = "plan", _("下年度工作打算（条目与时限）")
    COORDINATION = "coordination", _("需协调事项（可转为议题）")


def default_sections() -> list[dict]:
    """The template every round starts from (the office may change it)."""
    return [
        {"key": "s1", "title": "本年度工作开展情况及成效", "kind": SectionKind.TEXT},
        {"key": "s2", "title": "职责分工落实情况", "kind": SectionKind.DUTIES},
        {"key": "s3", "title": "存在的问题", "kind": SectionKind.TEXT},
        {"key": "s4", "title": "下年度工作打算", "kind": SectionKind.PLAN},
        {
            "key": "s5",
            "title": "需提请领导小组协调解决的事项",
            "kind": SectionKind.COORDINATION,
        },
    ]


class RoundQuerySet(models.QuerySet):
    def open(self) -> RoundQuerySet:
        """Rounds whose meeting pack has not gone to the group yet: the units
        still submit, the office still returns and reminds."""
        return self.filter(pack__issued_at__isnull=True)

    def with_counts(self) -> RoundQuerySet:
        """``unit_count`` and a ``<status>_count`` per submission status, in the
        same query."""
        S = Submission.Status
        return self.annotate(
            unit_count=models.Count("submissions"),
            **{
                f"{status}_count": models.Count(
                    "submissions", filter=Q(submissions__status=status)
                )
                for status in S.values
            },
        )


class Round(models.Model):
    """A reporting round for one year: every member unit submits once."""

    year = models.PositiveSmallIntegerField(_("报送年度"), unique=True)
    title = models.CharField(_("名称"), max_length=200)
    deadline = models.DateField(_("报送截止日期"))
    requires_head_approval = models.BooleanField(
        _("须经分管负责同志审核"),
        default=False,
        help_text=_("勾选后，联络员提交的材料须经本单位分管负责同志审核后才算报送。"),
    )
    instructions = models.TextField(_("报送要求"), blank=True)
    sections = models.JSONField(_("报送提纲"), default=default_sections)
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("提交会议"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("材料汇编所属的会议，需协调事项转为议题时列入该会议议程。"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("发起时间"), auto_now_add=True)
    history = HistoricalRecords()

    objects = RoundQuerySet.as_manager()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("年度工作报送")
        verbose_name_plural = _("年度工作报送")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("annual:round", args=[self.pk])

    def section(self, kind: str) -> dict | None:
        return next((s for s in self.sections if s["kind"] == kind), None)

    @property
    def text_sections(self) -> list[dict]:
        return [s for s in self.sections if s["kind"] == SectionKind.TEXT]

    @property
    def is_past_deadline(self) -> bool:
        return timezone.localdate() > self.deadline

    def workdays_left(self, today: date | None = None) -> int:
        return workdays_between(today or timezone.localdate(), self.deadline)

    def pack_or_none(self) -> Pack | None:
        """Its meeting pack, if drafted (no query with select_related("pack"))."""
        try:
            return self.pack
        except Pack.DoesNotExist:
            return None

    def plan_or_none(self) -> Plan | None:
        try:
            return self.plan
        except Plan.DoesNotExist:
            return None

    def light_counts(
        self, status_counts: dict[str, int], today: date, warn_until: date
    ) -> dict[str, int]:
        """How many submissions show each light (``Submission.light_on``), from
        the number in each status (``with_counts``): no row read."""
        lights = dict.fromkeys(("red", "yellow", "green", "grey"), 0)
        for status, n in status_counts.items():
            if n:
                light = Submission(round=self, status=status).light_on(
                    today, warn_until
                )
                lights[light] += n
        return lights

    @property
    def pack_issued(self) -> bool:
        """Its meeting pack has gone to the group (units read every submission)."""
        pack = self.pack_or_none()
        return pack is not None and pack.is_issued


class SubmissionQuerySet(models.QuerySet):
    def visible_to(self, user) -> SubmissionQuerySet:
        """Office and leaders: every submission. A unit's accounts: their own, and
        once the round's pack is issued to the group, every submission in it."""
        if not (user.is_authenticated and user.is_active):
            return self.none()
        if user.sees_everything:
            return self.all()
        if not user.is_unit_member:
            return self.none()
        return self.filter(
            Q(unit_id=user.unit_id)
            | Q(
                status=Submission.Status.SUBMITTED,
                round__pack__issued_at__isnull=False,
            )
        )


class Submission(models.Model):
    """One unit's annual report in a round (年度工作总结 and 下年度工作打算)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("起草中")
        PENDING_HEAD = "pending_head", _("待分管负责同志审核")
        SUBMITTED = "submitted", _("已报送")
        RETURNED = "returned", _("已退回")

    EDITABLE = (Status.DRAFT, Status.RETURNED)

    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="submissions"
    )
    unit = models.ForeignKey(
        "members.Unit",
        verbose_name=_("报送单位"),
        on_delete=models.PROTECT,
        related_name="annual_submissions",
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    texts = models.JSONField(_("各节正文"), default=dict, blank=True)
    duty_notes = models.JSONField(_("职责条款落实情况"), default=dict, blank=True)
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报送人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    head_approved_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    head_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    return_reason = models.TextField(_("退回理由"), blank=True)
    reminded_at = models.DateTimeField(_("最近提醒时间"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    # Optimistic locking: every save checks and bumps it, so no edit is lost.
    edit_version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["round", "unit__order", "unit_id"]
        verbose_name = _("年度工作报送材料")
        verbose_name_plural = _("年度工作报送材料")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "unit"], name="annual_submission_once_per_unit"
            )
        ]

    def __str__(self) -> str:
        return f"{self.round.year} {self.unit.name}"

    def get_absolute_url(self) -> str:
        return reverse("annual:submission", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED

    def light_on(self, today: date, warn_until: date | None = None) -> str:
        """grey submitted; red past the deadline; yellow within the warning window
        of working days (TASK_WARNING_WORKDAYS, ``warn_until`` when a list has
        counted it once) or returned; green otherwise."""
        if self.status == self.Status.SUBMITTED:
            return "grey"
        if today > self.round.deadline:
            return "red"
        if warn_until is None:
            warn_until = warning_until(today)
        if self.status == self.Status.RETURNED or self.round.deadline <= warn_until:
            return "yellow"
        return "green"


def warning_until(today: date) -> date:
    """The last day that is "due soon" on ``today`` (working days, as for tasks)."""
    return add_workdays(today, settings.TASK_WARNING_WORKDAYS)


class PlanItem(models.Model):
    """An item of a unit's 下年度工作打算, with its deadline."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="plan_items"
    )
    order = models.PositiveSmallIntegerField(_("序号"), default=0)
    text = models.TextField(_("工作打算"))
    due_on = models.DateField(_("完成时限"))
    duties = models.ManyToManyField(
        "duties.DutyClause", verbose_name=_("依据职责"), related_name="+", blank=True
    )

    class Meta:
        ordering = ["submission", "order", "id"]
        verbose_name = _("下年度工作打算")
        verbose_name_plural = _("下年度工作打算")

    def __str__(self) -> str:
        return self.text[:40]


class CoordinationItem(models.Model):
    """A matter a unit asks the group to coordinate; the office may make it a
    topic (议题) of the round's meeting in one step."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="coordination_items"
    )
    order = models.PositiveSmallIntegerField(_("序号"), default=0)
    title = models.CharField(_("事项"), max_length=200)
    description = models.TextField(_("具体情况与建议"), blank=True)
    topic = models.OneToOneField(
        "meetings.Topic",
        verbose_name=_("议题"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["submission", "order", "id"]
        verbose_name = _("需协调事项")
        verbose_name_plural = _("需协调事项")

    def __str__(self) -> str:
        return self.title


def attachment_path(instance: Attachment, filename: str) -> str:
    # The stored name never comes from the user; the original is kept in a field.
    return f"annual/{instance.submission_id}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("文件"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("annual:attachment", args=[self.pk])


class SubmissionEvent(models.Model):
    """A step in a submission's life: who, when, what, why."""

    class Kind(models.TextChoices):
        SAVED = "saved", _("保存")
        SUBMITTED = "submitted", _("提交")
        TO_HEAD = "to_head", _("提交分管负责同志审核")
        APPROVED = "approved", _("分管负责同志审核通过")
        HEAD_RETURNED = "head_returned", _("分管负责同志退回修改")
        RETURNED = "returned", _("办公室退回")
        REMINDED = "reminded", _("办公室催报")

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("事项"), max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("报送动态")
        verbose_name_plural = _("报送动态")

    def __str__(self) -> str:
        return f"{self.submission} {self.get_kind_display()}"


def pack_path(instance: Pack, filename: str) -> str:
    return f"annual/packs/{instance.round_id}-{uuid.uuid4().hex}.pdf"


class Pack(models.Model):
    """The meeting pack (会议材料汇编) of a round's meeting: one PDF, rendered once
    and kept; rendered again only when one of its parts changed (content_hash)."""

    round = models.OneToOneField(Round, on_delete=models.CASCADE, related_name="pack")
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("会议"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    office_report_title = models.CharField(_("工作报告标题"), max_length=200)
    office_report = models.TextField(
        _("领导小组办公室工作报告"),
        help_text=_("由数据起草，可修改。空行分段；以“一、”“（一）”开头的段落为标题。"),
    )
    edit_version = models.PositiveIntegerField(default=1, editable=False)
    file = models.FileField(upload_to=pack_path, max_length=200, blank=True)
    content_hash = models.CharField(max_length=64, blank=True, editable=False)
    page_count = models.PositiveIntegerField(_("页数"), null=True, blank=True)
    rendered_at = models.DateTimeField(_("生成时间"), null=True, blank=True)
    issued_at = models.DateTimeField(_("印发时间"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("起草时间"), auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["file", "content_hash"])

    class Meta:
        verbose_name = _("会议材料汇编")
        verbose_name_plural = _("会议材料汇编")

    def __str__(self) -> str:
        return _("%(meeting)s材料汇编") % {"meeting": self.meeting.title}

    def get_absolute_url(self) -> str:
        return reverse("annual:pack", args=[self.round_id])

    @property
    def is_issued(self) -> bool:
        return self.issued_at is not None


class Plan(models.Model):
    """Next year's 知识产权强区建设工作计划, drafted from the units' 下年度工作打算."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草案")
        APPROVED = "approved", _("已审定")
        TASKED = "tasked", _("已转为计划任务")

    round = models.OneToOneField(Round, on_delete=models.CASCADE, related_name="plan")
    year = models.PositiveSmallIntegerField(_("计划年度"))
    title = models.CharField(_("计划名称"), max_length=200)
    intro = models.TextField(_("总体要求"), blank=True)
    requirements = models.TextField(_("保障措施"), blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    approved_on = models.DateField(_("审定日期"), null=True, blank=True)
    approval_note = models.CharField(_("审定情况"), max_length=300, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    work_plan = models.OneToOneField(
        "tasks.WorkPlan",
        verbose_name=_("计划任务"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    edit_version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("起草时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("年度工作计划草案")
        verbose_name_plural = _("年度工作计划草案")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("annual:plan", args=[self.round_id])

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class PlanEntry(models.Model):
    """One item of next year's plan: what, who leads, who helps, by when, on
    which duty clauses."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="entries")
    order = models.PositiveSmallIntegerField(_("序号"), default=0)
    section = models.CharField(_("所属类别"), max_length=60)
    text = models.TextField(_("工作任务"))
    lead = models.ForeignKey(
        "members.Unit",
        verbose_name=_("牵头单位"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    co_units = models.ManyToManyField(
        "members.Unit", verbose_name=_("配合单位"), related_name="+", blank=True
    )
    due_on = models.DateField(_("完成时限"))
    duties = models.ManyToManyField(
        "duties.DutyClause", verbose_name=_("依据职责"), related_name="+", blank=True
    )
    source = models.ForeignKey(
        PlanItem,
        verbose_name=_("来源"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["plan", "order", "id"]
        verbose_name = _("计划条目")
        verbose_name_plural = _("计划条目")

    def __str__(self) -> str:
        return self.text[:40]
