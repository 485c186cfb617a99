"""One queue of everything waiting for a leader or the office, oldest first:
minutes to approve (leaders: those they may approve) or to issue or revise (the
office), extensions to decide, closures to verify. Oversight sits right of every
app, so it asks each of them directly."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from annual.models import Submission
from meetings.models import Minutes
from members.models import User
from tasks.models import Extension, Task


@dataclass(frozen=True)
class Item:
    kind: str  # what is to be done: 审批纪要, 审批延期, 审核销号 …
    title: str
    url: str
    since: datetime | None  # waiting since (the list is oldest first)
    by: str = ""  # who asked: a unit, a drafter


def _minutes(user: User) -> list[Item]:
    items = []
    if user.is_leader:
        for m in (
            Minutes.objects.filter(status=Minutes.Status.SUBMITTED)
            .select_related("meeting")
            .order_by("submitted_at", "pk")
        ):
            if m.may_be_approved_by(user):
                items.append(
                    Item(_("审批纪要"), m.title, m.get_absolute_url(), m.submitted_at)
                )
    if user.is_office:
        for m in (
            Minutes.objects.filter(status=Minutes.Status.APPROVED)
            .select_related("approved_by")
            .order_by("approved_at", "pk")
        ):
            items.append(
                Item(
                    _("编号印发纪要"),
                    m.title,
                    m.get_absolute_url(),
                    m.approved_at,
                    str(m.approved_by or ""),
                )
            )
        for m in (
            Minutes.objects.filter(status=Minutes.Status.DRAFT)
            .exclude(return_reason="")
            .select_related("returned_by")
        ):
            items.append(
                Item(
                    _("按退回意见修改纪要"),
                    f"{m.title}：{m.return_reason}",
                    m.get_absolute_url(),
                    m.returned_at,
                    str(m.returned_by or ""),
                )
            )
    return items


def _tasks(user: User) -> list[Item]:
    items = []
    if user.sees_everything:
        for e in Extension.objects.filter(
            status=Extension.Status.PENDING
        ).select_related("task", "unit"):
            items.append(
                Item(
                    _("审批延期"),
                    _("%(code)s %(title)s：申请延至 %(d)s")
                    % {"code": e.task.code, "title": e.task.title, "d": e.new_due_on},
                    e.get_absolute_url(),
                    e.created_at,
                    e.unit.name,
                )
            )
    if user.is_office:
        for t in Task.objects.filter(
            status=Task.Status.CLOSURE_REQUESTED
        ).select_related("lead_unit"):
            items.append(
                Item(
                    _("审核销号"),
                    f"{t.code} {t.title}",
                    t.get_absolute_url(),
                    t.closure_requested_at,
                    t.lead_unit.name,
                )
            )
    return items


def _annual(user: User) -> list[Item]:
    """The office reads each unit's annual submission before the round's pack is
    issued (and may return it); once the pack is issued they are read."""
    if not user.is_office:
        return []
    return [
        Item(
            _("阅看年度报送"),
            f"{s.round.title} · {s.unit.name}",
            s.get_absolute_url(),
            s.submitted_at,
            s.unit.name,
        )
        for s in Submission.objects.filter(status=Submission.Status.SUBMITTED)
        .exclude(round__pack__issued_at__isnull=False)
        .select_related("round", "unit")
    ]


def queue_for(user: User) -> list[Item]:
    """Everything waiting for ``user``, oldest first (undated last)."""
    items = _minutes(user) + _tasks(user) + _annual(user)
    return sorted(
        items, key=lambda i: (i.since is None, i.since or datetime.min, i.title)
    )


def queue_counts(items: list[Item]) -> list[tuple[str, int]]:
    """How many of each kind, in the order the kinds first appear."""
    counts: dict[str, int] = {}
    for item in items:
        counts[item.kind] = counts.get(item.kind, 0) + 1
    return list(counts.items())
