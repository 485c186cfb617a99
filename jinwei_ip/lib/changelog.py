"""Change logs read from django-simple-history: what changed, from what to what,
shown as a person reads it.

One builder for every page that shows history (a meeting's change log, a task's
timeline): the differences between an object's consecutive history records,
each value shown by name (a unit, a person, an account, a minutes version; a
many-to-many list as its names joined), and one rule for when two records are
one step of a service (the same person, the same reason, within ``MERGE_WINDOW``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

# A service writes a row, its many-to-many links and its event within moments;
# records this close together, by one person for one reason, are one step.
MERGE_WINDOW = timedelta(seconds=10)
HISTORY_ORDER = ("history_date", "history_id")


@dataclass
class Change:
    label: str
    old: str
    new: str


def history_diffs(records: Iterable, skip: set[str]) -> list[tuple[object, list]]:
    """Every history record of one object (oldest first) with the field changes
    (simple-history ``ModelChange``) since the record before it, the fields in
    ``skip`` left out; a creation, a deletion and the first record have none."""
    out = []
    previous = None
    for record in records:
        changes = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous, foreign_keys_are_objs=False)
            changes = [c for c in delta.changes if c.field not in skip]
        out.append((record, changes))
        previous = record
    return out


def same_step(record, previous) -> bool:
    """Whether ``record`` continues the step ``previous`` began: an update by the
    same person, for the same stated reason, within ``MERGE_WINDOW``."""
    return bool(
        previous is not None
        and record.history_type == "~"
        and record.history_change_reason
        and record.history_change_reason == previous.history_change_reason
        and record.history_user_id == previous.history_user_id
        and record.history_date - previous.history_date < MERGE_WINDOW
    )


def _related_ids(field: models.Field, value) -> list:
    """The pks a saved value of a relation holds: one for a foreign key, the
    list of a many-to-many's history (dicts of the through row's columns)."""
    if value in (None, ""):
        return []
    if field.many_to_many:
        key = field.m2m_reverse_field_name()
        return [
            item.get(key) if isinstance(item, Mapping) else item
            for item in (value if isinstance(value, list) else [])
        ]
    return [value]


class ValueNames:
    """Shows saved values as a person reads them: choice labels, yes/no, local
    times, and for relations the related objects' names, never their ids.

    The names come from the objects the page has already loaded (``known``) and,
    for the rest the changes (and ``also``) refer to, one query per related model.
    """

    def __init__(
        self,
        changes: Iterable[tuple[type[models.Model], Iterable]],
        *,
        known: Iterable[models.Model] = (),
        also: Iterable[tuple[type[models.Model], Iterable]] = (),
        max_length: int = 120,
    ) -> None:
        self.max_length = max_length
        self.names: dict[type, dict] = {}
        for obj in known:
            self.names.setdefault(type(obj), {})[obj.pk] = str(obj)
        wanted: dict[type, set] = {}
        for related, pks in also:  # other names the page shows (who saved it)
            wanted.setdefault(related, set()).update(pks)
        for model, model_changes in changes:
            for c in model_changes:
                field = model._meta.get_field(c.field)
                if field.is_relation:
                    for value in (c.old, c.new):
                        wanted.setdefault(field.related_model, set()).update(
                            _related_ids(field, value)
                        )
        for related, pks in wanted.items():
            have = self.names.setdefault(related, {})
            missing = {pk for pk in pks if pk is not None} - have.keys()
            if missing:
                found = related._default_manager.in_bulk(missing)
                have.update((pk, str(found[pk])) for pk in missing if pk in found)

    def name(self, model: type[models.Model], pk) -> str:
        return self.names.get(model, {}).get(pk, str(pk))

    def __call__(self, model: type[models.Model], name: str, value) -> str:
        if value is None or value == "":
            return "—"
        field = model._meta.get_field(name)
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        if field.is_relation:
            names = [
                self.name(field.related_model, pk) for pk in _related_ids(field, value)
            ]
            return "、".join(names) or "—"
        if isinstance(value, bool):
            return _("是") if value else _("否")
        if isinstance(value, datetime):
            return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
        text = str(value)
        if len(text) <= self.max_length:
            return text
        return text[: self.max_length - 2] + "…"

    def changes(
        self,
        model: type[models.Model],
        model_changes: Iterable,
        *,
        labels: Mapping[str, str] | None = None,
        prefix: str = "",
    ) -> list[Change]:
        """``Change`` rows for one record's field changes, labelled by the fields'
        verbose names (or ``labels``), each value by ``self``."""
        labels = labels or {}
        return [
            Change(
                label=prefix
                + str(
                    labels.get(c.field) or model._meta.get_field(c.field).verbose_name
                ),
                old=self(model, c.field, c.old),
                new=self(model, c.field, c.new),
            )
            for c in model_changes
        ]
