"""The task page's timeline: TaskEvents merged with simple-history's before/after.

Each event (交办, 签收, 报送进展 …) is one entry; the field changes that the same
person saved within a few seconds are attached to it, so the page reads "who did
what, when, and what changed". History changes without an event (e.g. an edit in
the admin) get an entry of their own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

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


def _formatter(model):
    units = dict(Unit.objects.values_list("pk", "name"))
    users: dict[int, str] = {}

    def fmt(name: str, value) -> str:
        if value is None or value == "":
            return "—"
        f = model._meta.get_field(name)
        if f.choices:
            return str(dict(f.flatchoices).get(value, value))
        if name in {"lead_unit", "unit"}:
            return units.get(value, str(value))
        if f.is_relation and f.related_model is User:
            if value not in users:
                u = User.objects.filter(pk=value).first()
                users[value] = str(u) if u else str(value)
            return users[value]
        if isinstance(value, bool):
            return _("是") if value else _("否")
        if isinstance(value, datetime):
            from django.utils import timezone

            return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
        text = str(value)
        return text if len(text) <= 120 else text[:118] + "…"

    return fmt


def _diffs(records, model, prefix: str = "") -> list[tuple[object, list[Change]]]:
    fmt = _formatter(model)
    out = []
    previous = None
    for record in records:
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous)
            changes = [
                Change(
                    label=prefix
                    + str(
                        LABELS.get(c.field)
                        or model._meta.get_field(c.field).verbose_name
                    ),
                    old=fmt(c.field, c.old),
                    new=fmt(c.field, c.new),
                )
                for c in delta.changes
                if c.field not in SKIP
            ]
            if changes:
                out.append((record, changes))
        previous = record
    return out


def _match(entries: list[Entry], record, taken: set[int]) -> Entry | None:
    """The event this saved change belongs to: same person, nearest in time, and,
    for the task itself, the event whose label is the change reason."""
    reason = record.history_change_reason or ""
    candidates = [
        (abs(e.when - record.history_date), i)
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
        if entries[c[1]].title == reason and not (is_task and c[1] in taken)
    ]
    chosen = min(preferred or candidates)[1]
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
    history = _diffs(
        task.history.order_by("history_date", "history_id").select_related(
            "history_user"
        ),
        Task,
    )
    report_history = []
    for report_id in task.reports.values_list("pk", flat=True):
        report_history += _diffs(
            ProgressReport.history.filter(id=report_id)
            .order_by("history_date", "history_id")
            .select_related("history_user"),
            ProgressReport,
            prefix=_("进展报告·"),
        )
    extension_history = []
    for ext_id in task.extensions.values_list("pk", flat=True):
        extension_history += _diffs(
            Extension.history.filter(id=ext_id)
            .order_by("history_date", "history_id")
            .select_related("history_user"),
            Extension,
            prefix=_("延期申请·"),
        )
    taken: set[int] = set()
    for record, changes in history + report_history + extension_history:
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
