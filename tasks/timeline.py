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
from datetime import datetime
from itertools import groupby
from operator import attrgetter

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from jinwei_ip.lib.changelog import (
    HISTORY_ORDER,
    MERGE_WINDOW,
    Change,
    ValueNames,
    history_diffs,
)

from .models import Extension, ProgressReport, Task, TaskEvent

SKIP = {"edit_version", "last_activity_at", "updated_at", "id"}
LABELS = {
    "signed_by": _l("签收人"),
    "closed_by": _l("销号人"),
    "decided_by": _l("审批人"),
}


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


def _deltas(records: Iterable) -> list[Delta]:
    """The updates among one object's history records (oldest first) that changed
    a field the timeline shows."""
    return [
        (record, changes) for record, changes in history_diffs(records, SKIP) if changes
    ]


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
    names = ValueNames(
        [(model, changes) for model, (_record, changes) in deltas],
        known=[e.unit for e in events if e.unit]
        + ([task.lead_unit] if lead_unit.is_cached(task) else [])
        + [e.actor for e in events]
        + [r.history_user for _m, (r, _c) in deltas if r.history_user],
    )
    taken: set[int] = set()
    for model, prefix, found in sources:
        for record, model_changes in found:
            changes = names.changes(model, model_changes, labels=LABELS, prefix=prefix)
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
