"""A meeting's change log, read from simple-history: who changed what, and when.

Covers the meeting itself, its agenda topics, its attendance and every version of
its minutes with their decided matters. The user comes from simple-history's
request middleware (or the services' ``_change_reason`` for what happened).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import gettext as _

from jinwei_ip.lib.changelog import (
    HISTORY_ORDER,
    Change,
    ValueNames,
    history_diffs,
    same_step,
)
from members.models import Person, User

from .models import Attendance, Decision, Meeting, Minutes, Topic

SKIP = {"id", "edit_version", "updated_at", "created_at", "created_by", "group"}
ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}


@dataclass
class Entry:
    when: datetime
    who: str
    subject: str
    action: str
    reason: str = ""
    changes: list[Change] = field(default_factory=list)


def _diffs(records) -> list[list[tuple[object, list]]]:
    """``history_diffs`` of each object among ``records``, one list per object."""
    by_object: dict[int, list] = {}
    for r in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        by_object.setdefault(r.id, []).append(r)
    return [history_diffs(rows, SKIP) for rows in by_object.values()]


def _entries(model: type, per_object, subject, names: ValueNames) -> list[Entry]:
    out = []
    for diffs in per_object:
        previous = None
        last: Entry | None = None  # this object's latest entry
        for r, model_changes in diffs:
            changes = names.changes(model, model_changes)
            step = same_step(r, previous)
            previous = r
            if step and last is not None:
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
    minutes_ids = list(
        Minutes.history.filter(meeting_id=meeting.pk)
        .values_list("id", flat=True)
        .distinct()
    )
    versions = dict(
        Minutes.history.filter(meeting_id=meeting.pk).values_list("id", "version")
    )
    sources = [
        (Meeting, Meeting.history.filter(id=meeting.pk), lambda r: _("会议信息")),
        (
            Topic,
            Topic.history.filter(meeting_id=meeting.pk),
            lambda r: _("议题：%(t)s") % {"t": r.title},
        ),
        (
            Attendance,
            Attendance.history.filter(meeting_id=meeting.pk),
            lambda r: _("出席记录：%(p)s") % {"p": names.name(Person, r.person_id)},
        ),
        (
            Minutes,
            Minutes.history.filter(id__in=minutes_ids),
            lambda r: _("纪要第%(v)d版") % {"v": r.version},
        ),
        (
            Decision,
            Decision.history.filter(minutes_id__in=minutes_ids),
            lambda r: (
                _("纪要第%(v)d版 议定事项%(n)d")
                % {"v": versions.get(r.minutes_id, 0), "n": r.number % 1000}
            ),
        ),
    ]
    diffs = [
        (model, _diffs(records.order_by(*HISTORY_ORDER)), subject)
        for model, records, subject in sources
    ]
    records = [
        record
        for _model, per_object, _subject in diffs
        for object_diffs in per_object
        for record, _changes in object_diffs
    ]
    names = ValueNames(
        [
            (model, changes)
            for model, per_object, _subject in diffs
            for object_diffs in per_object
            for _record, changes in object_diffs
        ],
        also=[
            (User, {r.history_user_id for r in records if r.history_user_id}),
            (Person, {r.person_id for r in records if hasattr(r, "person_id")}),
        ],
        max_length=80,
    )
    entries: list[Entry] = []
    for model, per_object, subject in diffs:
        entries += _entries(model, per_object, subject, names)
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries[:limit]
