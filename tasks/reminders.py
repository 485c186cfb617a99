"""The tasks' part of the daily digest (notices.digest): overdue, unsigned and
due-soon tasks for the units' people, every overdue task for the office
(escalation). Registered from ``TasksConfig.ready``."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from django.conf import settings
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from members.models import User
from notices.digest import DigestPart
from notices.services import office_people

from .models import CoUnit, Task

S = Task.Status
GROUPS = ("overdue", "unsigned", "due_soon")


def reminder_digests(day: date) -> list[tuple[User, dict[str, list[Task]]]]:
    """Who should hear about what on ``day``: liaisons and unit heads about their
    unit's overdue, unsigned and due-soon tasks; the office about every overdue
    task (escalation). People with nothing due are left out."""
    warn_until, _stale = Task.light_thresholds(day)
    tasks = list(
        Task.objects.open()
        .filter(due_on__lte=warn_until)
        .select_related("lead_unit")
        .prefetch_related(
            Prefetch("co_unit_links", queryset=CoUnit.objects.select_related("unit"))
        )
        .order_by("due_on", "code")
    ) + list(
        Task.objects.filter(status=S.ASSIGNED, due_on__gt=warn_until)
        .select_related("lead_unit")
        .prefetch_related("co_unit_links")
        .order_by("due_on", "code")
    )

    def sort(items: list[Task]) -> list[Task]:
        return sorted(items, key=lambda t: (t.due_on, t.code))

    by_unit: dict[int, dict[str, list[Task]]] = {}
    for task in tasks:
        unit_ids = [task.lead_unit_id] + [
            link.unit_id for link in task.co_unit_links.all()
        ]
        for unit_id in unit_ids:
            bucket = by_unit.setdefault(unit_id, {key: [] for key in GROUPS})
            if task.due_on < day:
                bucket["overdue"].append(task)
            elif unit_id == task.lead_unit_id and task.status == S.ASSIGNED:
                bucket["unsigned"].append(task)
            elif task.due_on <= warn_until:
                bucket["due_soon"].append(task)
    out: list[tuple[User, dict[str, list[Task]]]] = []
    people = User.objects.filter(
        role__in=[User.Role.LIAISON, User.Role.UNIT_HEAD],
        is_active=True,
        unit_id__in=list(by_unit),
    ).order_by("unit__order", "role", "id")
    for person in people:
        bucket = by_unit[person.unit_id]
        if any(bucket.values()):
            out.append((person, {k: sort(v) for k, v in bucket.items()}))
    overdue = sort([t for t in tasks if t.due_on < day])
    if overdue:
        for person in office_people():
            out.append((person, {"overdue": overdue, "unsigned": [], "due_soon": []}))
    return out


def task_digest(day: date) -> Iterator[tuple[User, DigestPart]]:
    """The digest provider: each person's tasks as one part of their digest."""
    labels = {
        "overdue": _("逾期"),
        "unsigned": _("待签收"),
        "due_soon": _("临近时限"),
    }
    url = reverse("tasks:list") + "?status=open"
    for person, groups in reminder_digests(day):
        body = render_to_string(
            "emails/tasks/digest.txt",
            {"person": person, "day": day, "site": settings.SITE_URL, **groups},
        )
        counts = tuple((labels[key], len(groups[key])) for key in GROUPS)
        yield person, DigestPart(counts=counts, url=url, body=body)
