"""Meetings of the group (工作规则), their agenda (topics) and attendance, and the
object permissions granted on meetings. Part of ``meetings.models``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from members.models import granted_object_ids

from ..readers import minutes_reader_units

if TYPE_CHECKING:
    from .minutes import Minutes


class MeetingQuerySet(models.QuerySet):
    def in_year(self, year: int) -> MeetingQuerySet:
        return self.filter(starts_at__year=year)

    def plenaries(self) -> MeetingQuerySet:
        return self.filter(kind=Meeting.Kind.PLENARY).exclude(
            status=Meeting.Status.CANCELLED
        )

    def upcoming(self) -> MeetingQuerySet:
        return self.filter(
            starts_at__gte=timezone.now(), status=Meeting.Status.PLANNED
        ).order_by("starts_at")

    def not_cancelled(self) -> MeetingQuerySet:
        return self.exclude(status=Meeting.Status.CANCELLED)

    def visible_to(self, user) -> MeetingQuerySet:
        """Meetings a person may open: all for the office and leaders; for a unit's
        accounts those whose ``view_meeting`` object permission their groups hold
        (plenaries and the meetings listing their unit, granted by the services)."""
        return self._granted(user, "view_meeting")

    def with_minutes_visible_to(self, user) -> MeetingQuerySet:
        return self._granted(user, "read_minutes")

    def _granted(self, user, codename: str) -> MeetingQuerySet:
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.sees_everything:
            return self.all()
        return self.filter(
            pk__in=granted_object_ids(MeetingGroupObjectPermission, user, codename)
        )


class Meeting(models.Model):
    class Kind(models.TextChoices):
        PLENARY = "plenary", _("全体会议")
        SPECIAL = "special", _("专题会议")
        TEMPORARY = "temporary", _("临时会议")
        PARTIAL = "partial", _("部分成员单位会议")

    class Status(models.TextChoices):
        PLANNED = "planned", _("已计划")
        HELD = "held", _("已召开")
        CANCELLED = "cancelled", _("已取消")

    class Convener(models.TextChoices):
        LEADER = "leader", _("组长召集")
        DEPUTY = "deputy", _("受组长委托由副组长召集")

    # Short labels used in meeting and task codes, e.g. 2026-专题3-4.
    CODE_LABELS = {
        Kind.PLENARY: "全体",
        Kind.SPECIAL: "专题",
        Kind.TEMPORARY: "临时",
        Kind.PARTIAL: "部分",
    }

    group = models.ForeignKey(
        "members.LeadingGroup",
        verbose_name=_("领导小组"),
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    kind = models.CharField(_("会议类型"), max_length=20, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    sequence = models.PositiveSmallIntegerField(
        _("年度序号"), help_text=_("同类会议在本年度的序号，如“专题3”中的3。")
    )
    title = models.CharField(_("会议名称"), max_length=200)
    subject = models.TextField(_("会议主题"), blank=True)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    place = models.CharField(_("会议地点"), max_length=200)
    status = models.CharField(
        _("会议状态"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    convener = models.CharField(
        _("召集方式"), max_length=20, choices=Convener.choices, default=Convener.LEADER
    )
    delegation_note = models.CharField(
        _("委托说明"),
        max_length=300,
        blank=True,
        help_text=_("由副组长召集时，写明组长的委托（如委托时间、方式）。"),
    )
    host = models.ForeignKey(
        "members.Person",
        verbose_name=_("主持人"),
        on_delete=models.PROTECT,
        related_name="hosted_meetings",
        null=True,
        blank=True,
    )
    recorder = models.ForeignKey(
        "members.Person",
        verbose_name=_("记录人"),
        on_delete=models.PROTECT,
        related_name="recorded_meetings",
        null=True,
        blank=True,
    )
    units = models.ManyToManyField(
        "members.Unit",
        verbose_name=_("参会（涉及）单位"),
        related_name="meetings",
        blank=True,
        help_text=_("全体会议涉及全部成员单位；其他会议列出参会单位。"),
    )
    partial_reason = models.TextField(_("召开部分成员单位会议的理由"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords(m2m_fields=[units])

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("会议")
        verbose_name_plural = _("会议")
        permissions = [("read_minutes", _("查看已印发的会议纪要"))]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "year", "kind", "sequence"],
                name="meeting_unique_sequence",
            ),
            models.CheckConstraint(
                condition=~Q(convener="deputy") | ~Q(delegation_note=""),
                name="meeting_deputy_needs_delegation",
            ),
            models.CheckConstraint(
                condition=~Q(kind="partial") | ~Q(partial_reason=""),
                name="meeting_partial_needs_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meetings:detail", args=[self.pk])

    @property
    def code(self) -> str:
        """Meeting code used as the prefix of its tasks' codes, e.g. 2026-专题3."""
        return f"{self.year}-{self.CODE_LABELS[self.kind]}{self.sequence}"

    @property
    def is_plenary(self) -> bool:
        return self.kind == self.Kind.PLENARY

    @property
    def is_planned(self) -> bool:
        return self.status == self.Status.PLANNED

    @property
    def is_held(self) -> bool:
        return self.status == self.Status.HELD

    @property
    def is_delegated(self) -> bool:
        return self.convener == self.Convener.DEPUTY

    def concerned_units(self):
        """The units the meeting concerns: every member unit for a plenary."""
        from members.models import Unit

        if self.is_plenary:
            return Unit.objects.members()
        return self.units.all()

    def agenda_units(self):
        """The units whose topics (议题) are on the meeting's agenda: they may open
        the meeting that discusses them, though it does not list them."""
        from members.models import Unit

        return Unit.objects.filter(
            pk__in=self.topics.filter(
                status__in=[Topic.Status.SCHEDULED, Topic.Status.DISCUSSED]
            ).values("raised_by_unit_id")
        )

    def minutes_readers(self):
        """The units that read the meeting's issued minutes: those it concerns,
        those whose topics it discussed, those an issued version went to (kept in
        its snapshot, so editing the meeting's units later takes nothing away),
        the units its issued decided matters name (建议承办单位), and the units
        the apps to the right give work from them (tasks: leading or cooperating
        on tasks made from them; ``meetings.readers.minutes_reader_units``). A
        unit given work by the minutes can open them, though the meeting did not
        list it."""
        from members.models import Unit

        from .minutes import Minutes, SuggestedUnit

        issued = self.minutes.filter(status=Minutes.Status.ISSUED)
        sent_to = {
            pk
            for snapshot in issued.values_list("snapshot", flat=True)
            for pk in (snapshot or {}).get("reader_unit_ids", [])
        }
        readers = (
            Q(pk__in=self.concerned_units().values("pk"))
            | Q(pk__in=self.agenda_units().values("pk"))
            | Q(pk__in=sent_to)
            | Q(
                pk__in=SuggestedUnit.objects.filter(
                    decision__minutes__in=issued
                ).values("unit_id")
            )
        )
        # the units given work from the minutes (tasks), through the hook
        for given_work in minutes_reader_units:
            readers |= Q(pk__in=given_work(self))
        return Unit.objects.filter(readers).order_by("order", "pk")

    def can_be_held(self) -> bool:
        return self.is_planned

    @property
    def has_started(self) -> bool:
        """Its start time has come: only then may it be marked as held."""
        return self.starts_at <= timezone.now()

    def can_be_cancelled(self) -> bool:
        return self.is_planned and not self.minutes.exists()

    def latest_minutes(self) -> Minutes | None:
        return self.minutes.order_by("-version").first()

    def attendance_in_protocol_order(self) -> list[Attendance]:
        """The attendance records in the order an official list names people:
        the 组长, the 副组长 (as they held the posts on the meeting's day), then
        the member units in the order of the founding document (each unit's
        成员 first), then everyone else (guests, people of no member unit).
        Statuses are not separated here; lists group by status themselves."""
        from members.models import Membership, Position

        day = timezone.localtime(self.starts_at).date()
        # The person's highest post in the group on the day, read with the
        # records in one query.
        post = (
            Membership.objects.current(day)
            .filter(position__group_id=self.group_id, person_id=OuterRef("person_id"))
            .order_by("position__order")
            .values("position__kind")[:1]
        )
        rank = {Position.Kind.LEADER: 0, Position.Kind.DEPUTY: 1}

        def key(a: Attendance) -> tuple:
            if a.post_kind in rank:
                return (rank[a.post_kind], 0, 0, a.pk)
            if a.unit_id and a.unit.is_member:
                is_member_post = a.post_kind == Position.Kind.MEMBER
                return (2, a.unit.order, 0 if is_member_post else 1, a.pk)
            return (3, 0, 0, a.pk)

        return sorted(
            self.attendance.select_related("person", "unit", "substitute").annotate(
                post_kind=Subquery(post)
            ),
            key=key,
        )


class MeetingUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Meeting, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        abstract = False


class MeetingGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Meeting, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        abstract = False


class TopicQuerySet(models.QuerySet):
    def visible_to(self, user) -> TopicQuerySet:
        """Topics a person may open (the rule of ``access.may_view_topic``): all for
        the office and leaders; for a unit's accounts those their unit raised or is
        asked to coordinate on."""
        if not (user.is_authenticated and user.is_active):
            return self.none()
        if user.sees_everything:
            return self.all()
        if not user.is_unit_member:
            return self.none()
        return self.filter(
            models.Q(raised_by_unit_id=user.unit_id)
            | models.Q(
                pk__in=Topic.related_units.through.objects.filter(
                    unit_id=user.unit_id
                ).values("topic_id")
            )
        )


class Topic(models.Model):
    """A matter (议题) raised by a unit for cross-department coordination."""

    class Status(models.TextChoices):
        RAISED = "raised", _("已提出")
        SCHEDULED = "scheduled", _("已列入议程")
        DISCUSSED = "discussed", _("已研究")
        DECLINED = "declined", _("暂不列入")
        WITHDRAWN = "withdrawn", _("已撤回")

    title = models.CharField(_("议题"), max_length=200)
    description = models.TextField(_("需协调的事项"), blank=True)
    raised_by_unit = models.ForeignKey(
        "members.Unit",
        verbose_name=_("提出单位"),
        on_delete=models.PROTECT,
        related_name="topics",
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提出人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    related_units = models.ManyToManyField(
        "members.Unit", verbose_name=_("需协同的单位"), related_name="+", blank=True
    )
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("列入会议"),
        on_delete=models.SET_NULL,
        related_name="topics",
        null=True,
        blank=True,
    )
    agenda_order = models.PositiveSmallIntegerField(
        _("议程顺序"), null=True, blank=True
    )
    presenter = models.CharField(_("汇报人"), max_length=60, blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.RAISED
    )
    decline_reason = models.TextField(_("暂不列入的理由"), blank=True)
    created_at = models.DateTimeField(_("提出时间"), auto_now_add=True)
    history = HistoricalRecords()

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["meeting_id", "agenda_order", "-created_at"]
        verbose_name = _("议题")
        verbose_name_plural = _("议题")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meetings:topic", args=[self.pk])

    @property
    def is_open(self) -> bool:
        """Still waiting for the office: raised, not yet on an agenda or declined."""
        return self.status == self.Status.RAISED

    def can_be_withdrawn(self) -> bool:
        """The raising unit may withdraw its topic until it is on an agenda."""
        return self.status == self.Status.RAISED and self.meeting_id is None

    def is_raised_by(self, user) -> bool:
        """An active account of the unit that raised the topic."""
        return bool(
            user.is_authenticated
            and user.is_active
            and user.is_unit_member
            and user.unit_id == self.raised_by_unit_id
        )


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", _("出席")
        OBSERVER = "observer", _("列席")
        ABSENT = "absent", _("请假")

    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("会议"),
        on_delete=models.CASCADE,
        related_name="attendance",
    )
    person = models.ForeignKey(
        "members.Person",
        verbose_name=_("人员"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(
        "members.Unit",
        verbose_name=_("单位"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    title_at_meeting = models.CharField(_("会时职务"), max_length=100, blank=True)
    status = models.CharField(_("出席情况"), max_length=20, choices=Status.choices)
    substitute = models.ForeignKey(
        "members.Person",
        verbose_name=_("代为出席人员"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["status", "unit__order", "id"]
        verbose_name = _("出席记录")
        verbose_name_plural = _("出席记录")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"], name="attendance_once"
            ),
            models.CheckConstraint(
                condition=Q(substitute__isnull=True) | Q(status="absent"),
                name="attendance_substitute_only_when_absent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.get_status_display()}"
