"""The leading group as data: units, positions held by posts, people, memberships, accounts."""

from __future__ import annotations

import re
from datetime import date

from django.contrib.auth.models import AbstractUser, Group
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords


class LeadingGroup(models.Model):
    name = models.CharField(_("名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=40)
    document_number = models.CharField(_("成立文号"), max_length=60)
    document_title = models.CharField(_("成立文件标题"), max_length=200)
    issuer = models.CharField(_("发文机关"), max_length=100)
    founded_on = models.DateField(_("成文日期"))
    purpose = models.TextField(_("成立目的"), blank=True)
    office_unit = models.ForeignKey(
        "Unit",
        verbose_name=_("办公室所在单位"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
    )

    class Meta:
        verbose_name = _("领导小组")
        verbose_name_plural = _("领导小组")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("members:group")


class Provision(models.Model):
    """A numbered item of the founding document: a work task, a work rule or a requirement."""

    class Kind(models.TextChoices):
        TASK = "task", _("工作任务")
        RULE = "rule", _("工作规则")
        REQUIREMENT = "requirement", _("工作要求")

    group = models.ForeignKey(
        LeadingGroup, on_delete=models.CASCADE, related_name="provisions"
    )
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    number = models.PositiveSmallIntegerField(_("序号"))
    text = models.TextField(_("内容"))

    class Meta:
        ordering = ["kind", "number"]
        verbose_name = _("领导小组条款")
        verbose_name_plural = _("领导小组条款")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "kind", "number"], name="provision_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class UnitQuerySet(models.QuerySet):
    def members(self) -> UnitQuerySet:
        return self.filter(is_member=True)

    def resolve(self, text: str) -> Unit | None:
        """Find a unit by its canonical name, an alias, or a common variant of either.

        The founding document writes some units in two forms (教体局/区教育局,
        文旅局/区文化旅游局); imports and free text use others still (金台区司法局,
        司法局). All of them resolve to the one canonical unit.
        """
        name = normalize_unit_name(text)
        if not name:
            return None
        candidates = [name]
        if name.startswith("金台区"):
            candidates.append("区" + name.removeprefix("金台区"))
        if not name.startswith(("区", "市")):
            candidates.append("区" + name)
        for candidate in candidates:
            unit = self.filter(Q(name=candidate) | Q(aliases__name=candidate)).first()
            if unit is not None:
                return unit
        return None


def normalize_unit_name(text: str) -> str:
    return re.sub(r"\s+", "", text or "").strip("，,、;；。")


class Unit(models.Model):
    """A member unit of the group (成员单位), or another body the portal refers to."""

    name = models.CharField(_("规范名称"), max_length=60, unique=True)
    code = models.SlugField(_("代码"), max_length=20, unique=True)
    full_name = models.CharField(_("全称"), max_length=100, blank=True)
    is_member = models.BooleanField(_("成员单位"), default=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    duty_summary = models.TextField(
        _("职责原文"), blank=True, help_text=_("职责分工一节中本单位的原文段落。")
    )
    auth_group = models.OneToOneField(
        Group, on_delete=models.PROTECT, related_name="unit", null=True, editable=False
    )
    history = HistoricalRecords()

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        permissions = [("view_unit_private", _("查看单位内部信息"))]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("members:unit", args=[self.code])


class UnitAlias(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(_("别名"), max_length=60, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("单位别名")
        verbose_name_plural = _("单位别名")

    def __str__(self) -> str:
        return self.name


class UnitUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Unit, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        abstract = False


class UnitGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Unit, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        abstract = False


class Position(models.Model):
    """A post in the group, held by whoever holds the office it names."""

    class Kind(models.TextChoices):
        LEADER = "leader", _("组长")
        DEPUTY = "deputy", _("副组长")
        OFFICE_DIRECTOR = "office_director", _("办公室主任")
        MEMBER = "member", _("成员")

    group = models.ForeignKey(
        LeadingGroup, on_delete=models.CASCADE, related_name="positions"
    )
    kind = models.CharField(_("职务"), max_length=20, choices=Kind.choices)
    post = models.CharField(
        _("对应岗位"), max_length=100, help_text=_("如：区政府分管副区长")
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("所在单位"),
        on_delete=models.PROTECT,
        related_name="positions",
        null=True,
        blank=True,
    )
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("领导小组职务")
        verbose_name_plural = _("领导小组职务")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "kind"],
                condition=~Q(kind="member"),
                name="position_single_leader_posts",
            ),
            models.UniqueConstraint(
                fields=["group", "unit"],
                condition=Q(kind="member"),
                name="position_one_member_per_unit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}（{self.post}）"

    def holder_on(self, day: date) -> Person | None:
        membership = (
            self.memberships.filter(start_on__lte=day)
            .filter(Q(end_on__isnull=True) | Q(end_on__gte=day))
            .select_related("person")
            .first()
        )
        return membership.person if membership else None


class Person(models.Model):
    name = models.CharField(_("姓名"), max_length=40)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("单位"),
        on_delete=models.PROTECT,
        related_name="people",
        null=True,
        blank=True,
    )
    job_title = models.CharField(_("职务"), max_length=60, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["unit__order", "name"]
        verbose_name = _("人员")
        verbose_name_plural = _("人员")

    def __str__(self) -> str:
        return self.name

    @property
    def choice_label(self) -> str:
        """How a person is offered in a list of people: name · unit · title, the
        title left out where it only repeats the unit (区市场监管局局长).
        Needs ``unit`` loaded (select_related) for a list."""
        parts = [self.name]
        if self.unit_id:
            parts.append(self.unit.name)
        if self.job_title and (
            not self.unit_id or self.unit.name not in self.job_title
        ):
            parts.append(self.job_title)
        return " · ".join(parts)


class MembershipQuerySet(models.QuerySet):
    def current(self, day: date | None = None) -> MembershipQuerySet:
        day = day or timezone.localdate()
        return self.filter(start_on__lte=day).filter(
            Q(end_on__isnull=True) | Q(end_on__gte=day)
        )


class Membership(models.Model):
    """Who held which position, from when to when. Never deleted: history stays true."""

    position = models.ForeignKey(
        Position,
        verbose_name=_("职务"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("人员"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    start_on = models.DateField(_("任职起始"))
    end_on = models.DateField(_("任职截止"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    history = HistoricalRecords()

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["position__order", "-start_on"]
        verbose_name = _("任职记录")
        verbose_name_plural = _("任职记录")
        constraints = [
            models.UniqueConstraint(
                fields=["position"],
                condition=Q(end_on__isnull=True),
                name="membership_one_current_holder",
            ),
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(end_on__gte=models.F("start_on")),
                name="membership_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position} — {self.person}"

    @property
    def is_current(self) -> bool:
        return self.end_on is None or self.end_on >= timezone.localdate()


class User(AbstractUser):
    """An account. Its role decides what it may see; unit roles see only their unit."""

    class Role(models.TextChoices):
        OFFICE = "office", _("办公室工作人员")
        LEADER = "leader", _("领导小组领导")
        LIAISON = "liaison", _("联络员")
        UNIT_HEAD = "unit_head", _("单位分管负责同志")

    display_name = models.CharField(_("姓名"), max_length=40, blank=True)
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, blank=True)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("所属单位"),
        on_delete=models.PROTECT,
        related_name="accounts",
        null=True,
        blank=True,
    )
    person = models.OneToOneField(
        Person,
        verbose_name=_("对应人员"),
        on_delete=models.SET_NULL,
        related_name="account",
        null=True,
        blank=True,
    )
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("账号")
        verbose_name_plural = _("账号")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role__in=["liaison", "unit_head"]) | Q(unit__isnull=False),
                name="user_unit_role_has_unit",
            )
        ]

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def is_office(self) -> bool:
        return self.is_active and (self.role == self.Role.OFFICE or self.is_superuser)

    @property
    def is_leader(self) -> bool:
        return self.is_active and self.role == self.Role.LEADER

    @property
    def sees_everything(self) -> bool:
        """Office staff and leaders oversee every unit's work."""
        return self.is_office or self.is_leader

    def group_ids(self) -> list[int]:
        """The pks of this account's auth groups, read once per instance (the
        request's user is a new instance on every request); ``forget_group_ids``
        drops the copy after a change of groups."""
        if "_group_ids" not in self.__dict__:
            self.__dict__["_group_ids"] = list(self.groups.values_list("pk", flat=True))
        return self.__dict__["_group_ids"]

    def forget_group_ids(self) -> None:
        self.__dict__.pop("_group_ids", None)

    @property
    def is_unit_member(self) -> bool:
        return (
            self.role in {self.Role.LIAISON, self.Role.UNIT_HEAD}
            and self.unit_id is not None
        )


def granted_object_ids(
    permission_model: type[models.Model], user: User, codename: str
) -> models.QuerySet:
    """The ``content_object_id`` of every row of a direct-FK guardian group
    permission table that gives one of ``user``'s groups ``codename``.

    With the group ids resolved first and the permission as a one-row subquery,
    PostgreSQL reads only the table's unique index (group, permission, object)
    instead of joining auth_user_groups, auth_permission and django_content_type
    inside the semi-join (bench/README.md, scoped queryset)."""
    from django.contrib.auth.models import Permission

    app_label = permission_model._meta.get_field(
        "content_object"
    ).related_model._meta.app_label
    permission = (
        Permission.objects.filter(content_type__app_label=app_label, codename=codename)
        .order_by()  # Permission's default order joins django_content_type again
        .values("pk")[:1]
    )
    return permission_model.objects.filter(
        group_id__in=user.group_ids(), permission_id=models.Subquery(permission)
    ).values("content_object_id")


class CalendarFeedKey(models.Model):
    """The per-person secret behind a personal meeting-calendar address.

    A calendar client (Outlook, a phone, Thunderbird) has no session, so the feed
    address carries a token: ``<user pk>-<HMAC>``, the HMAC (``salted_hmac``, keyed
    by SECRET_KEY) of the pk, this row's random ``secret`` and the account's password
    hash, checked the way Django's PasswordResetTokenGenerator checks its tokens.
    Why derived rather than a random token stored hashed: the subscription page can
    show the address again on every visit without keeping it anywhere readable; a
    database copy alone (secret and password hash) cannot forge an address without
    SECRET_KEY; resetting is one new ``secret``; and a password change changes the
    address by itself (so does the re-hash at the next login after a Django upgrade
    raises the hashing cost: the page then shows the new address). A deactivated
    account's address answers 404 (checked in ``user_for_token``).
    """

    SALT = "members.CalendarFeedKey"

    user = models.OneToOneField(
        User,
        verbose_name=_("账号"),
        on_delete=models.CASCADE,
        related_name="calendar_feed_key",
    )
    secret = models.CharField(_("密钥"), max_length=64)
    reset_at = models.DateTimeField(_("生成时间"), default=timezone.now)

    class Meta:
        verbose_name = _("会议日历订阅密钥")
        verbose_name_plural = _("会议日历订阅密钥")

    def __str__(self) -> str:
        return str(self.user)

    @staticmethod
    def new_secret() -> str:
        import secrets

        return secrets.token_urlsafe(32)

    @classmethod
    def for_user(cls, user: User) -> CalendarFeedKey:
        """The person's key, made on first use."""
        key, _created = cls.objects.get_or_create(
            user=user, defaults={"secret": cls.new_secret()}
        )
        key.user = user
        return key

    def reset(self) -> None:
        """A new secret: every address given out before stops working."""
        self.secret = self.new_secret()
        self.reset_at = timezone.now()
        self.save(update_fields=["secret", "reset_at"])

    def _digest(self, key: str | None = None) -> str:
        from django.utils.crypto import salted_hmac

        value = f"{self.user_id}:{self.secret}:{self.user.password}"
        mac = salted_hmac(self.SALT, value, secret=key, algorithm="sha256")
        return mac.hexdigest()[:40]

    @property
    def token(self) -> str:
        return f"{self.user_id}-{self._digest()}"

    @classmethod
    def user_for_token(cls, token: str) -> User | None:
        """The active account whose current address carries ``token``, else None."""
        from django.conf import settings
        from django.utils.crypto import constant_time_compare

        pk, _sep, digest = token.partition("-")
        if not pk.isdigit() or len(digest) != 40:
            return None
        key = (
            cls.objects.select_related("user")
            .filter(user_id=int(pk), user__is_active=True)
            .first()
        )
        if key is None:
            return None
        # SECRET_KEY_FALLBACKS: addresses survive a key rotation until the old key
        # is dropped from the fallbacks.
        for secret in [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]:
            if constant_time_compare(key._digest(secret), digest):
                return key.user
        return None
