"""The task page's timeline: TaskEvents merged with simple-history's before/after.

Each event (交办, 签收, 报送进展 …) is one entry; the field changes that the same
person saved within a few seconds are attached to it, so the page reads "who did
what, when, and what changed". History changes without an event (e.g. an edit in
the admin) get an entry of their own.

The whole timeline costs four queries however long the task's story is: the
events, the task's history, all of its reports' history and all of its
extensions' history; the units and people they name come with them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import groupby
from operator import attrgetter

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from members.models import Unit, User

from .models import Extension, ProgressReport, Task, TaskEvent

SKIP = {"edit_version", "last_activity_at", "updated_at", "id"}
LABELS = {
    "signed_by": _l("签收人"),
    "closed_by": _l("销号人"),
    "decided_by": _l("审批人"),
}
MERGE_WINDOW = timedelta(seconds=10)
HISTORY_ORDER = ("history_date", "history_id")


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class Entry:
    when: datetime
    who: str
    title: str
    note: str = ""
    unit: str = ""
    kind: str = ""
    user_id: int | None = None
    changes: list[Change] = field(default_factory=list)


# (history record, the ModelChanges of its shown fields)
Delta = tuple[object, list]

UNIT_FIELDS = {"lead_unit", "unit"}


def _is_user_field(model: type[models.Model], name: str) -> bool:
    f = model._meta.get_field(name)
    return f.is_relation and f.related_model is User


def _names(model, known: Iterable, wanted: set) -> dict:
    """{pk: name} for ``wanted`` pks: from the objects the page has already loaded,
    and the rest (if any) in one query."""
    names = {obj.pk: str(obj) for obj in known}
    missing = wanted - names.keys()
    if missing:
        found = model.objects.in_bulk(missing)
        names.update((pk, str(found.get(pk, pk))) for pk in missing)
    return names


class _Formatter:
    """Shows a saved value as a person reads it: choice labels, unit and user names.

    One per page. The units and people a change names are nearly always already
    loaded with the events and history rows (the unit an event was for, who saved
    a change); any others (e.g. an admin setting 签收人 to someone else) cost one
    query per kind for the whole page."""

    def __init__(
        self,
        deltas: list[tuple[type[models.Model], Delta]],
        *,
        units: Iterable[Unit],
        users: Iterable[User],
    ):
        def referenced(wants) -> set:
            return {
                value
                for model, (_record, changes) in deltas
                for c in changes
                if wants(model, c.field)
                for value in (c.old, c.new)
                if value not in (None, "")
            }

        self.units = _names(
            Unit, units, referenced(lambda _model, name: name in UNIT_FIELDS)
        )
        self.users = _names(User, users, referenced(_is_user_field))

    def __call__(self, model: type[models.Model], name: str, value) -> str:
        if value is None or value == "":
            return "—"
        f = model._meta.get_field(name)
        if f.choices:
            return str(dict(f.flatchoices).get(value, value))
        if name in UNIT_FIELDS:
            return self.units.get(value, str(value))
        if f.is_relation and f.related_model is User:
            return self.users.get(value, str(value))
        if isinstance(value, bool):
            return _("是") if value else _("否")
        if isinstance(value, datetime):
            return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
        text = str(value)
        return text if len(text) <= 120 else text[:118] + "…"


def _deltas(records: Iterable) -> list[Delta]:
    """The updates among one object's history records (oldest first) that changed
    a field the timeline shows."""
    out = []
    previous = None
    for record in records:
        if previous is not None and record.history_type == "~":
            changes = [
                c for c in record.diff_against(previous).changes if c.field not in SKIP
            ]
            if changes:
                out.append((record, changes))
        previous = record
    return out


def _object_deltas(model: type[models.Model], task: Task, related) -> list[Delta]:
    """``_deltas`` of every report (or extension) the task has: their whole history
    in one query, grouped by object id (a deleted one's history stays out)."""
    records = (
        model.history.filter(task_id=task.pk, id__in=related.values("pk"))
        .order_by("id", *HISTORY_ORDER)
        .select_related("history_user")
    )
    return [
        delta
        for _pk, group in groupby(records, key=attrgetter("id"))
        for delta in _deltas(group)
    ]


def _match(entries: list[Entry], record, taken: set[int]) -> Entry | None:
    """The event this saved change belongs to: same person, nearest in time, and,
    for the task itself, the event whose label is the change reason.

    The services write a change first and its event right after it, so an event
    at or after the change is preferred to one before it: a report corrected
    moments after it was filed lies between its 报送进展 and its 修改 events,
    and only the order, not the distance, says which is its own (under load
    the distances swapped, and the test of the task page failed now and then)."""
    reason = record.history_change_reason or ""
    candidates = [
        (e.when < record.history_date, abs(e.when - record.history_date), i)
        for i, e in enumerate(entries)
        if e.kind
        and e.user_id == record.history_user_id
        and abs(e.when - record.history_date) <= MERGE_WINDOW
    ]
    if not candidates:
        return None
    is_task = record.instance_type is Task
    preferred = [
        c
        for c in candidates
        if entries[c[2]].title == reason and not (is_task and c[2] in taken)
    ]
    chosen = min(preferred or candidates)[2]
    if is_task:
        taken.add(chosen)
    return entries[chosen]


def build_timeline(task: Task) -> list[Entry]:
    events = list(TaskEvent.objects.filter(task=task).select_related("actor", "unit"))
    entries = [
        Entry(
            when=e.created_at,
            who=str(e.actor),
            title=e.get_kind_display(),
            note=e.note,
            unit=e.unit.name if e.unit else "",
            kind=e.kind,
            user_id=e.actor_id,
        )
        for e in events
    ]
    sources: list[tuple[type[models.Model], str, list[Delta]]] = [
        (
            Task,
            "",
            _deltas(
                task.history.order_by(*HISTORY_ORDER).select_related("history_user")
            ),
        ),
        (
            ProgressReport,
            _("进展报告·"),
            _object_deltas(ProgressReport, task, task.reports),
        ),
        (Extension, _("延期申请·"), _object_deltas(Extension, task, task.extensions)),
    ]
    deltas = [(model, delta) for model, _p, found in sources for delta in found]
    lead_unit = Task._meta.get_field("lead_unit")
    fmt = _Formatter(
        deltas,
        units=[e.unit for e in events if e.unit]
        + ([task.lead_unit] if lead_unit.is_cached(task) else []),
        users=[e.actor for e in events]
        + [r.history_user for _m, (r, _c) in deltas if r.history_user],
    )
    taken: set[int] = set()
    for model, prefix, found in sources:
        for record, model_changes in found:
            changes = [
                Change(
                    label=prefix
                    + str(
                        LABELS.get(c.field)
                        or model._meta.get_field(c.field).verbose_name
                    ),
                    old=fmt(model, c.field, c.old),
                    new=fmt(model, c.field, c.new),
                )
                for c in model_changes
            ]
            match = _match(entries, record, taken)
            if match is not None:
                match.changes += changes
            else:
                entries.append(
                    Entry(
                        when=record.history_date,
                        who=str(record.history_user or _("系统")),
                        title=record.history_change_reason or _("修改记录"),
                        changes=changes,
                        user_id=record.history_user_id,
                    )
                )
    entries.sort(key=lambda e: e.when)
    return entries
