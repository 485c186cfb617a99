"""A meeting's change log, read from simple-history: who changed what, and when.

Covers the meeting itself, its agenda topics, its attendance and every version of
its minutes with their decided matters. The user comes from simple-history's
request middleware (or the services' ``_change_reason`` for what happened).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Person, Unit, User

from .models import Attendance, Decision, Meeting, Minutes, Topic

SKIP = {"id", "edit_version", "updated_at", "created_at", "created_by", "group"}
ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}
# Two history records of one object, same reason and person, this close together
# are one step of a service (the row saved, then its many-to-many units set).
SAME_STEP = timedelta(seconds=5)


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class Entry:
    when: datetime
    who: str
    subject: str
    action: str
    reason: str = ""
    changes: list[Change] = field(default_factory=list)


class _Names:
    """Display values of foreign keys, looked up once per kind."""

    def __init__(self) -> None:
        self.cache: dict[type, dict[int, str]] = {}

    def name(self, model: type, pk) -> str:
        if model not in self.cache:
            if model is User:
                self.cache[model] = {u.pk: str(u) for u in User.objects.all()}
            elif model in (Person, Unit):
                self.cache[model] = dict(model.objects.values_list("pk", "name"))
            else:
                self.cache[model] = {}
        return self.cache[model].get(pk, str(pk))


def _fmt(model: type, name: str, value, names: _Names) -> str:
    if value is None or value == "":
        return "—"
    f = model._meta.get_field(name)
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if f.is_relation and f.many_to_many:
        ids = [
            v.get("unit") if isinstance(v, dict) else getattr(v, "unit_id", v)
            for v in (value if isinstance(value, list) else [])
        ]
        return "、".join(names.name(f.related_model, i) for i in ids) or "—"
    if f.is_relation:
        return names.name(f.related_model, value)
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    text = str(value)
    return text if len(text) <= 80 else text[:78] + "…"


def _entries(records, model: type, subject, names: _Names) -> list[Entry]:
    """Entries for one model's history records (all objects), oldest first per object."""
    by_object: dict[int, list] = {}
    for r in records:
        by_object.setdefault(r.id, []).append(r)
    out = []
    for rows in by_object.values():
        rows.sort(key=lambda r: (r.history_date, r.history_id))
        previous = None
        last: Entry | None = None  # this object's latest entry
        for r in rows:
            changes = []
            if previous is not None and r.history_type == "~":
                delta = r.diff_against(previous, foreign_keys_are_objs=False)
                for c in delta.changes:
                    if c.field in SKIP:
                        continue
                    f = model._meta.get_field(c.field)
                    changes.append(
                        Change(
                            label=str(f.verbose_name),
                            old=_fmt(model, c.field, c.old, names),
                            new=_fmt(model, c.field, c.new, names),
                        )
                    )
            same_step = (
                previous is not None
                and r.history_type == "~"
                and r.history_change_reason
                and r.history_change_reason == previous.history_change_reason
                and r.history_user_id == previous.history_user_id
                and r.history_date - previous.history_date < SAME_STEP
            )
            previous = r
            if same_step and last is not None:
                # One step saved in two writes (the row, then its units): one entry,
                # e.g. 新建会议 with the units it was created with.
                last.changes.extend(changes)
                continue
            if r.history_type == "~" and not changes and not r.history_change_reason:
                continue  # a save that changed nothing a person cares about
            last = Entry(
                when=r.history_date,
                who=names.name(User, r.history_user_id)
                if r.history_user_id
                else _("系统"),
                subject=subject(r),
                action=ACTIONS[r.history_type],
                reason=r.history_change_reason or "",
                changes=changes,
            )
            out.append(last)
    return out


def meeting_changelog(meeting: Meeting, limit: int = 80) -> list[Entry]:
    names = _Names()
    minutes_ids = list(
        Minutes.history.filter(meeting_id=meeting.pk)
        .values_list("id", flat=True)
        .distinct()
    )
    versions = dict(
        Minutes.history.filter(meeting_id=meeting.pk).values_list("id", "version")
    )
    entries: list[Entry] = []
    entries += _entries(
        Meeting.history.filter(id=meeting.pk), Meeting, lambda r: _("会议信息"), names
    )
    entries += _entries(
        Topic.history.filter(meeting_id=meeting.pk),
        Topic,
        lambda r: _("议题：%(t)s") % {"t": r.title},
        names,
    )
    entries += _entries(
        Attendance.history.filter(meeting_id=meeting.pk),
        Attendance,
        lambda r: _("出席记录：%(p)s") % {"p": names.name(Person, r.person_id)},
        names,
    )
    entries += _entries(
        Minutes.history.filter(id__in=minutes_ids),
        Minutes,
        lambda r: _("纪要第%(v)d版") % {"v": r.version},
        names,
    )
    entries += _entries(
        Decision.history.filter(minutes_id__in=minutes_ids),
        Decision,
        lambda r: (
            _("纪要第%(v)d版 议定事项%(n)d")
            % {"v": versions.get(r.minutes_id, 0), "n": r.number % 1000}
        ),
        names,
    )
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries[:limit]
