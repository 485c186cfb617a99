"""Minutes (纪要), their versions and decided matters (议定事项) with their suggested
units. Part of ``meetings.models``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .meetings import Meeting


class MinutesQuerySet(models.QuerySet):
    def issued(self) -> MinutesQuerySet:
        return self.filter(status=Minutes.Status.ISSUED)

    def visible_to(self, user) -> MinutesQuerySet:
        """Drafts only for the office and leaders; issued versions for the units the
        meeting concerns (their groups hold ``read_minutes`` on the meeting)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.sees_everything:
            return self.all()
        meetings = Meeting.objects.with_minutes_visible_to(user).values("pk")
        return self.issued().filter(meeting__in=meetings)


class Minutes(models.Model):
    """A version of a meeting's minutes (纪要). Issued versions are frozen."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("待审批")
        APPROVED = "approved", _("已审批")
        ISSUED = "issued", _("已印发")

    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("会议"),
        on_delete=models.PROTECT,
        related_name="minutes",
    )
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    title = models.CharField(_("纪要标题"), max_length=200)
    narrative = models.TextField(_("纪要正文"))
    issue_year = models.PositiveSmallIntegerField(_("期号年份"), null=True, blank=True)
    issue_number = models.PositiveSmallIntegerField(_("期号"), null=True, blank=True)
    correction_reason = models.TextField(_("更正理由"), blank=True)
    return_reason = models.TextField(_("退回理由"), blank=True)
    # Who returned the draft and when, kept with the reason so that lists (the
    # office home) can say it without reading the history of every draft.
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("退回人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    returned_at = models.DateTimeField(_("退回时间"), null=True, blank=True)
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("更正的版本"),
        on_delete=models.PROTECT,
        related_name="superseded_by",
        null=True,
        blank=True,
    )
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("起草人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("报审时间"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审批人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    approved_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("印发人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    issued_at = models.DateTimeField(_("印发时间"), null=True, blank=True)
    # What the issued document showed from the live meeting (the 出席/请假/列席
    # lists, the distribution line, the mark and issuer), written by
    # ``services.minutes_issue`` so later changes to attendance or units do not
    # alter issued minutes. Empty for drafts, which show the live meeting.
    snapshot = models.JSONField(_("印发时的会议信息"), default=dict, editable=False)
    edit_version = models.PositiveIntegerField(_("编辑版本"), default=1, editable=False)
    history = HistoricalRecords()

    objects = MinutesQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "-version"]
        verbose_name = _("会议纪要")
        verbose_name_plural = _("会议纪要")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "version"], name="minutes_unique_version"
            ),
            models.UniqueConstraint(
                fields=["issue_year", "issue_number"],
                condition=Q(issue_number__isnull=False),
                name="minutes_unique_issue_number",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}（第{self.version}版）"

    def get_absolute_url(self) -> str:
        return reverse("meetings:minutes", args=[self.pk])

    @property
    def is_frozen(self) -> bool:
        return self.status == self.Status.ISSUED

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_superseded(self) -> bool:
        """A correction (draft or issued) has been started from this version."""
        try:
            return self.superseded_by is not None
        except Minutes.DoesNotExist:
            return False

    @property
    def is_replaced(self) -> bool:
        """An issued correction has replaced this version."""
        try:
            return self.superseded_by.status == Minutes.Status.ISSUED
        except Minutes.DoesNotExist:
            return False

    @property
    def is_current(self) -> bool:
        """The issued version in force: its decided matters may become tasks."""
        return self.is_frozen and not self.is_replaced

    def may_be_approved_by(self, user) -> bool:
        """The convener approves: the 组长, or the 副组长 for a meeting he convened by
        delegation (the 组长 may still approve those). A leader account not linked to
        a position holder is accepted when the post has no recorded holder."""
        from members.models import Position

        if not (user.is_authenticated and user.is_leader):
            return False
        kinds = [Position.Kind.LEADER]
        if self.meeting.is_delegated:
            kinds.append(Position.Kind.DEPUTY)
        today = timezone.localdate()
        holders = []
        for position in Position.objects.filter(
            group_id=self.meeting.group_id, kind__in=kinds
        ):
            holder = position.holder_on(today)
            if holder is not None:
                holders.append(holder.pk)
        if not holders:
            return True
        return user.person_id is not None and user.person_id in holders

    def last_return(self):
        """The history record of the latest 退回 (submitted → draft), or None: who
        returned the minutes and when. Read from the history, so it needs no
        field of its own and survives a later edit of the draft."""
        previous = None
        returned = None
        records = (
            self.history.order_by("history_date", "history_id")
            .only("status", "history_date", "history_user")
            .select_related("history_user")  # the page names who returned it
        )
        for record in records:
            if previous == self.Status.SUBMITTED and record.status == self.Status.DRAFT:
                returned = record
            previous = record.status
        return returned

    @property
    def issue_label(self) -> str:
        """The issue number as printed, e.g. 〔2026〕第3期."""
        if self.issue_year is None or self.issue_number is None:
            return ""
        return f"〔{self.issue_year}〕第{self.issue_number}期"


class Decision(models.Model):
    """A decided matter (议定事项) of a minutes version, numbered from 1."""

    minutes = models.ForeignKey(
        Minutes,
        verbose_name=_("会议纪要"),
        on_delete=models.CASCADE,
        related_name="decisions",
    )
    number = models.PositiveSmallIntegerField(_("序号"))
    text = models.TextField(_("议定事项"))
    suggested_units = models.ManyToManyField(
        "members.Unit",
        verbose_name=_("建议承办单位"),
        through="SuggestedUnit",
        related_name="+",
        blank=True,
        help_text=_("牵头单位在前：第一家为建议牵头单位。"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["minutes", "number"]
        verbose_name = _("议定事项")
        verbose_name_plural = _("议定事项")
        constraints = [
            models.UniqueConstraint(
                fields=["minutes", "number"], name="decision_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:30]}"

    def get_absolute_url(self) -> str:
        return self.minutes.get_absolute_url() + f"#decision-{self.number}"

    @property
    def code(self) -> str:
        """The decided matter's code, e.g. 2026-专题3-4."""
        return f"{self.minutes.meeting.code}-{self.number}"

    def suggested_units_in_order(self) -> list:
        """The suggested units as the office entered them, the lead first. Uses
        ``prefetch_related("unit_links__unit")`` when the caller made one."""
        cache = getattr(self, "_prefetched_objects_cache", {})
        links = self.unit_links.all()
        if "unit_links" not in cache:
            links = links.select_related("unit")
        return [link.unit for link in links]

    def suggested_lead(self):
        """The unit meant to lead a task made from this matter, if any."""
        units = self.suggested_units_in_order()
        return units[0] if units else None

    def set_suggested_units(self, units) -> None:
        """Make the suggested units exactly ``units``, in that order."""
        ordered = list(dict.fromkeys(units))
        self.unit_links.all().delete()
        SuggestedUnit.objects.bulk_create(
            [
                SuggestedUnit(decision=self, unit=unit, position=n)
                for n, unit in enumerate(ordered, start=1)
            ]
        )


class SuggestedUnit(models.Model):
    """One suggested unit of a decided matter, at its place in the list (1 = lead)."""

    decision = models.ForeignKey(
        Decision,
        verbose_name=_("议定事项"),
        on_delete=models.CASCADE,
        related_name="unit_links",
    )
    unit = models.ForeignKey(
        "members.Unit",
        verbose_name=_("单位"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    position = models.PositiveSmallIntegerField(_("顺序"), default=1)

    class Meta:
        ordering = ["decision", "position", "id"]
        verbose_name = _("建议承办单位")
        verbose_name_plural = _("建议承办单位")
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "unit"], name="suggested_unit_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.decision.code} {self.position}. {self.unit}"
