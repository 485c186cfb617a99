"""Meetings, their agendas (topics) and attendance, the plenary rule check, and
``meeting_grants_sync``, the one place that grants units access to a meeting. Part
of ``meetings.services`` (import it from there); the rules of that package's
docstring hold here too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from jinwei_ip.lib.dates import date_refusal
from jinwei_ip.lib.text import check_official_texts
from members.grants import set_unit_grants
from members.models import LeadingGroup, Person, Unit, User
from notices.services import notify, office_people

from ..access import VIEW_MEETING, VIEW_MINUTES
from ..models import Attendance, Meeting, Minutes, Topic


def _reason(obj, text: str) -> None:
    """The change reason simple-history stores with the next save."""
    obj._change_reason = text


# --- rule check: a plenary each year ------------------------------------------


@dataclass(frozen=True)
class PlenaryStatus:
    """Whether the year has its plenary (全体会议, "原则上每年召开一次")."""

    year: int
    meeting: Meeting | None

    @property
    def ok(self) -> bool:
        return self.meeting is not None

    @property
    def held(self) -> bool:
        return self.meeting is not None and self.meeting.is_held

    @property
    def planned(self) -> bool:
        return self.meeting is not None and self.meeting.is_planned


def plenary_status(year: int | None = None) -> PlenaryStatus:
    """The year's plenary (held first, else the earliest planned), cancelled ones
    not counting. One query."""
    year = year or timezone.localdate().year
    meetings = list(Meeting.objects.plenaries().in_year(year).order_by("starts_at"))
    held = [m for m in meetings if m.is_held]
    return PlenaryStatus(year=year, meeting=(held or meetings or [None])[0])


# --- meetings ------------------------------------------------------------------


@dataclass
class MeetingData:
    kind: str
    title: str
    starts_at: datetime
    place: str
    subject: str = ""
    ends_at: datetime | None = None
    convener: str = Meeting.Convener.LEADER
    delegation_note: str = ""
    host: Person | None = None
    recorder: Person | None = None
    units: Sequence[Unit] = field(default_factory=list)
    partial_reason: str = ""


def meeting_data_from(values: Mapping) -> MeetingData:
    """A ``MeetingData`` from a form's cleaned data (the page's or the admin's)."""
    data = MeetingData(**{f.name: values[f.name] for f in fields(MeetingData)})
    data.units = list(data.units or [])
    return data


def _validate_meeting(data: MeetingData) -> None:
    check_official_texts(
        {
            "title": (_("会议名称"), data.title),
            "subject": (_("会议主题"), data.subject),
            "place": (_("会议地点"), data.place),
        }
    )
    errors: dict[str, str] = {}
    if data.convener == Meeting.Convener.DEPUTY and not data.delegation_note.strip():
        errors["delegation_note"] = _("由副组长召集时，须写明组长的委托。")
    if data.kind == Meeting.Kind.PARTIAL:
        if not data.units:
            errors["units"] = _("部分成员单位会议须列出参会单位。")
        if not data.partial_reason.strip():
            errors["partial_reason"] = _("部分成员单位会议须写明召开理由。")
    if data.ends_at and data.ends_at <= data.starts_at:
        errors["ends_at"] = _("结束时间须晚于开始时间。")
    for name, label in (("starts_at", _("开始时间")), ("ends_at", _("结束时间"))):
        value = getattr(data, name)
        refusal = date_refusal(value, label=label) if value else None
        if refusal:
            errors[name] = refusal
    if errors:
        raise ValidationError(errors)


def _next_sequence(group: LeadingGroup, year: int, kind: str) -> int:
    # Lock the group row so two office staff creating meetings get distinct numbers.
    LeadingGroup.objects.select_for_update().filter(pk=group.pk).first()
    top = Meeting.objects.filter(group=group, year=year, kind=kind).aggregate(
        n=Max("sequence")
    )["n"]
    return (top or 0) + 1


def _apply(meeting: Meeting, data: MeetingData) -> None:
    meeting.kind = data.kind
    meeting.title = data.title.strip()
    meeting.subject = data.subject.strip()
    meeting.starts_at = data.starts_at
    meeting.ends_at = data.ends_at
    meeting.place = data.place.strip()
    meeting.convener = data.convener
    meeting.delegation_note = (
        data.delegation_note.strip() if data.convener == Meeting.Convener.DEPUTY else ""
    )
    meeting.host = data.host
    meeting.recorder = data.recorder
    meeting.partial_reason = (
        data.partial_reason.strip() if data.kind == Meeting.Kind.PARTIAL else ""
    )


@transaction.atomic
def meeting_create(
    *, data: MeetingData, by: User, group: LeadingGroup | None = None
) -> Meeting:
    """Schedule a meeting; its number within the year and kind is assigned here."""
    _validate_meeting(data)
    group = group or LeadingGroup.objects.get()
    year = timezone.localtime(data.starts_at).year
    meeting = Meeting(group=group, year=year, created_by=by)
    _apply(meeting, data)
    meeting.sequence = _next_sequence(group, year, data.kind)
    _reason(meeting, _("新建会议"))
    meeting.save()
    meeting.units.set([] if meeting.is_plenary else data.units)
    meeting_grants_sync(meeting=meeting)
    return meeting


def meeting_update_check(meeting: Meeting, data: MeetingData) -> bool:
    """Raise ``ValidationError`` if ``meeting`` may not be changed to ``data``;
    else say whether the change renumbers it. The meeting page's form and the
    admin's change form ask this before ``meeting_update`` saves."""
    _validate_meeting(data)
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("已取消的会议不能修改。"))
    year = timezone.localtime(data.starts_at).year
    renumber = (data.kind, year) != (meeting.kind, meeting.year)
    if renumber and meeting.minutes.exists():
        raise ValidationError(
            {
                "kind": _(
                    "已有纪要的会议不能更改会议类型或年度（会议编号已用于纪要和任务）。"
                )
            }
        )
    return renumber


@transaction.atomic
def meeting_update(*, meeting: Meeting, data: MeetingData, by: User) -> Meeting:
    """Change a meeting. Its kind and year (hence its code) are fixed once minutes exist."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    renumber = meeting_update_check(meeting, data)
    year = timezone.localtime(data.starts_at).year
    _apply(meeting, data)
    if renumber:
        meeting.year = year
        meeting.sequence = _next_sequence(meeting.group, year, data.kind)
    _reason(meeting, _("修改会议信息"))
    meeting.save()
    meeting.units.set([] if meeting.is_plenary else data.units)
    meeting_grants_sync(meeting=meeting)
    return meeting


@transaction.atomic
def meeting_mark_held(*, meeting: Meeting, by: User) -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not meeting.can_be_held():
        raise ValidationError(_("只有“已计划”的会议可以标记为已召开。"))
    if meeting.starts_at > timezone.now():
        raise ValidationError(_("会议尚未到开始时间，不能标记为已召开。"))
    meeting.status = Meeting.Status.HELD
    _reason(meeting, _("标记为已召开"))
    meeting.save()
    for topic in meeting.topics.filter(status=Topic.Status.SCHEDULED):
        topic.status = Topic.Status.DISCUSSED
        _reason(topic, _("会议已召开，议题已研究"))
        topic.save()
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, by: User) -> Meeting:
    """Cancel a planned meeting; its scheduled topics go back to the office's list."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not meeting.can_be_cancelled():
        raise ValidationError(_("只有尚无纪要的“已计划”会议可以取消。"))
    meeting.status = Meeting.Status.CANCELLED
    _reason(meeting, _("取消会议"))
    meeting.save()
    for topic in meeting.topics.all():
        _topic_back_to_raised(topic, _("会议取消，议题退回待安排"))
    meeting_grants_sync(meeting=meeting)
    return meeting


def meeting_grants_sync(*, meeting: Meeting) -> None:
    """The one place meeting access is granted: every unit the meeting concerns, and
    every unit whose topic is on its agenda, may open the meeting; once a minutes
    version is issued, the minutes' readers
    (``Meeting.minutes_readers``: also the units its decided matters name or give
    tasks to) may open the meeting and read its issued minutes."""
    grants = {unit: [VIEW_MEETING] for unit in meeting.concerned_units()}
    for unit in meeting.agenda_units():
        grants.setdefault(unit, [VIEW_MEETING])
    if meeting.minutes.filter(status=Minutes.Status.ISSUED).exists():
        for unit in meeting.minutes_readers():
            grants[unit] = [VIEW_MEETING, VIEW_MINUTES]
    set_unit_grants(meeting, grants)


# --- topics (议题) ---------------------------------------------------------------


@transaction.atomic
def topic_raise(
    *,
    unit: Unit,
    by: User,
    title: str,
    description: str = "",
    related_units: Iterable[Unit] = (),
) -> Topic:
    if not title.strip():
        raise ValidationError({"title": _("请填写议题。")})
    topic = Topic(
        title=title.strip(),
        description=description.strip(),
        raised_by_unit=unit,
        raised_by=by,
    )
    _reason(topic, _("提出议题"))
    topic.save()
    topic.related_units.set([u for u in related_units if u.pk != unit.pk])
    notify(
        [u for u in office_people() if u.pk != by.pk],
        text=_("%(unit)s提出议题：%(title)s，请安排列入会议议程。")
        % {"unit": unit.name, "title": topic.title},
        url=topic.get_absolute_url(),
    )
    return topic


@transaction.atomic
def topic_withdraw(*, topic: Topic, by: User) -> Topic:
    """The raising unit takes back its topic before it is on an agenda."""
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    if not topic.is_raised_by(by):
        raise PermissionDenied(_("只有提出单位可以撤回议题。"))
    if not topic.can_be_withdrawn():
        raise ValidationError(_("议题已列入会议议程或已处理，不能撤回。"))
    topic.status = Topic.Status.WITHDRAWN
    _reason(topic, _("提出单位撤回议题"))
    topic.save()
    notify(
        office_people(),
        text=_("%(unit)s撤回了议题：%(title)s")
        % {"unit": topic.raised_by_unit.name, "title": topic.title},
        url=topic.get_absolute_url(),
    )
    return topic


def _agenda_renumber(meeting: Meeting) -> None:
    for order, topic in enumerate(
        meeting.topics.filter(
            status__in=[Topic.Status.SCHEDULED, Topic.Status.DISCUSSED]
        ).order_by("agenda_order", "pk"),
        start=1,
    ):
        if topic.agenda_order != order:
            topic.agenda_order = order
            _reason(topic, _("调整议程顺序"))
            topic.save()


@transaction.atomic
def topic_schedule(
    *, topic: Topic, meeting: Meeting, presenter: str, by: User
) -> Topic:
    """Put a raised topic on a planned meeting's agenda, last."""
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    if topic.status != Topic.Status.RAISED:
        raise ValidationError(_("该议题已列入议程或已处理。"))
    if not meeting.is_planned:
        raise ValidationError(_("只能为“已计划”的会议安排议程。"))
    top = meeting.topics.aggregate(n=Max("agenda_order"))["n"] or 0
    topic.meeting = meeting
    topic.agenda_order = top + 1
    topic.presenter = presenter.strip()
    topic.status = Topic.Status.SCHEDULED
    topic.decline_reason = ""
    _reason(topic, _("列入会议议程"))
    topic.save()
    meeting_grants_sync(meeting=meeting)
    return topic


def _topic_back_to_raised(topic: Topic, reason: str) -> None:
    topic.meeting = None
    topic.agenda_order = None
    topic.status = Topic.Status.RAISED
    _reason(topic, reason)
    topic.save()


@transaction.atomic
def topic_unschedule(*, topic: Topic, by: User) -> Topic:
    topic = (
        Topic.objects.select_for_update(of=("self",))
        .select_related("meeting")
        .get(pk=topic.pk)
    )
    if topic.status != Topic.Status.SCHEDULED:
        raise ValidationError(_("只有已列入议程、会议尚未召开的议题可以移出。"))
    meeting = topic.meeting
    _topic_back_to_raised(topic, _("移出会议议程"))
    _agenda_renumber(meeting)
    meeting_grants_sync(meeting=meeting)
    return topic


@transaction.atomic
def topic_move(*, topic: Topic, up: bool, by: User) -> Topic:
    """Swap a scheduled topic with its neighbour on the agenda."""
    topic = (
        Topic.objects.select_for_update(of=("self",))
        .select_related("meeting")
        .get(pk=topic.pk)
    )
    if topic.status != Topic.Status.SCHEDULED:
        raise ValidationError(_("只有已列入议程的议题可以调整顺序。"))
    _agenda_renumber(topic.meeting)
    topic.refresh_from_db()
    agenda = list(
        topic.meeting.topics.filter(status=Topic.Status.SCHEDULED).order_by(
            "agenda_order"
        )
    )
    index = next(i for i, t in enumerate(agenda) if t.pk == topic.pk)
    other_index = index - 1 if up else index + 1
    if not 0 <= other_index < len(agenda):
        return topic
    other = agenda[other_index]
    topic.agenda_order, other.agenda_order = other.agenda_order, topic.agenda_order
    for t in (topic, other):
        _reason(t, _("调整议程顺序"))
        t.save()
    return topic


@transaction.atomic
def topic_decline(*, topic: Topic, reason: str, by: User) -> Topic:
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    if topic.status != Topic.Status.RAISED:
        raise ValidationError(_("只有待安排的议题可以暂不列入。"))
    if not reason.strip():
        raise ValidationError({"reason": _("请写明暂不列入的理由。")})
    topic.status = Topic.Status.DECLINED
    topic.decline_reason = reason.strip()
    _reason(topic, _("暂不列入议程"))
    topic.save()
    return topic


# --- attendance -------------------------------------------------------------------


@dataclass
class AttendanceRow:
    person: Person
    status: str
    substitute: Person | None = None
    title_at_meeting: str = ""
    note: str = ""
    unit: Unit | None = None


def attendance_roster(meeting: Meeting) -> list[AttendanceRow]:
    """Who is expected: the current holders of the group's posts (组长, 副组长,
    办公室主任) and the members of the units the meeting concerns, all "出席"."""
    from members.models import Membership, Position

    day = timezone.localtime(meeting.starts_at).date()
    concerned = {u.pk for u in meeting.concerned_units()}
    rows: list[AttendanceRow] = []
    seen: set[int] = set()
    for m in (
        Membership.objects.current(day)
        .filter(position__group_id=meeting.group_id)
        .select_related("person__unit", "position")
        .order_by("position__order")
    ):
        p = m.position
        if p.kind == Position.Kind.MEMBER and p.unit_id not in concerned:
            continue
        if m.person_id in seen:
            continue
        seen.add(m.person_id)
        rows.append(
            AttendanceRow(
                person=m.person,
                status=Attendance.Status.PRESENT,
                title_at_meeting=m.person.job_title or p.post,
            )
        )
    return rows


@transaction.atomic
def attendance_record(
    *, meeting: Meeting, rows: Sequence[AttendanceRow], by: User
) -> list[Attendance]:
    """Replace the meeting's attendance with ``rows``, all or nothing.

    Rows are checked first; any error names its row (第N行 and the person) and
    nothing is written. Existing records are updated in place, so each person's
    history stays one line of changes.
    """
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("已取消的会议不记录出席情况。"))
    errors: list[str] = []
    seen: dict[int, int] = {}
    for n, row in enumerate(rows, start=1):
        label = _("第%(n)d行（%(name)s）") % {"n": n, "name": row.person}
        if row.person.pk in seen:
            errors.append(
                _("%(row)s：与第%(other)d行重复。")
                % {"row": label, "other": seen[row.person.pk]}
            )
        seen.setdefault(row.person.pk, n)
        if row.status not in Attendance.Status.values:
            errors.append(_("%(row)s：请选择出席情况。") % {"row": label})
        if row.substitute is not None:
            if row.status != Attendance.Status.ABSENT:
                errors.append(
                    _("%(row)s：只有请假时才填写代为出席人员。") % {"row": label}
                )
            elif row.substitute.pk == row.person.pk:
                errors.append(_("%(row)s：代为出席人员不能是本人。") % {"row": label})
    if errors:
        raise ValidationError(errors)
    existing = {a.person_id: a for a in meeting.attendance.all()}
    kept: list[Attendance] = []
    for row in rows:
        record = existing.pop(row.person.pk, None) or Attendance(
            meeting=meeting, person=row.person
        )
        values = {
            "unit": row.unit or row.person.unit,
            "title_at_meeting": row.title_at_meeting.strip() or row.person.job_title,
            "status": row.status,
            "substitute": row.substitute,
            "note": row.note.strip(),
        }
        changed = record.pk is None or any(
            getattr(record, k) != v for k, v in values.items()
        )
        for key, value in values.items():
            setattr(record, key, value)
        if changed:
            _reason(record, _("记录出席情况"))
            record.save()
        kept.append(record)
    for record in existing.values():
        _reason(record, _("删除出席记录"))
        record.delete()
    return kept
