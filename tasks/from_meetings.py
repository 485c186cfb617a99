"""What tasks do on the meetings' pages and in their workflows (registered into
``meetings.hooks`` and ``meetings.readers`` from ``TasksConfig.ready``)."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet, prefetch_related_objects
from django.utils.translation import gettext as _

from meetings.models import Decision, Meeting, Minutes
from members.models import Unit, User
from notices.services import notify, office_people

from .models import CoUnit, Task, TaskEvent
from .services import _claim, _event, _save


def units_given_work(meeting: Meeting) -> QuerySet:
    """The units leading or co-handling tasks made from the meeting's minutes
    (any version), as one column of pks: they read the issued minutes
    (``meetings.readers.minutes_reader_units``)."""
    tasks = Task.objects.filter(decision__minutes__meeting=meeting)
    return Unit.objects.filter(
        Q(pk__in=tasks.values("lead_unit_id"))
        | Q(pk__in=CoUnit.objects.filter(task__in=tasks).values("unit_id"))
    ).values("pk")


def attach_visible_tasks(user: User, decisions: list[Decision]) -> None:
    """``decision.visible_tasks``: the tasks made from each decided matter that
    ``user`` may open (a liaison reading the minutes must not learn about other
    units' tasks from them), in one query for all."""
    prefetch_related_objects(
        decisions,
        Prefetch(
            "tasks",
            queryset=Task.objects.visible_to(user)
            .select_related("lead_unit")
            .order_by("code"),
            to_attr="visible_tasks",
        ),
    )


def tasks_follow_correction(*, new: Minutes, by: User) -> list[Task]:
    """An issued correction takes over the superseded version's tasks: each task
    moves to the new version's decided matter with the same number, claimed like
    any change of a task (an edit form opened before is stale), its history and
    timeline saying why. Tasks of a number the correction no longer has stay
    where they are; they are returned, and the office is told which. Runs inside
    ``minutes_issue``'s transaction."""
    old = new.supersedes
    targets = {d.number: d for d in new.decisions.all()}
    left: list[Task] = []
    for task in (
        Task.objects.filter(decision__minutes=old)
        .select_related("decision")
        .order_by("code")
    ):
        target = targets.get(task.decision.number)
        if target is None:
            left.append(task)
            continue
        task = _claim(task)
        why = _("纪要更正：改挂第%(v)d版议定事项第%(n)d项") % {
            "v": new.version,
            "n": target.number,
        }
        task.decision = target
        _save(task, by, why)
        _event(task, TaskEvent.Kind.EDITED, by, note=why)
    if left:
        notify(
            office_people(),
            text=_(
                "%(label)s更正印发后，原第%(v)d版下列议定事项已不存在，"
                "其督办任务仍挂在原版本上，请核对：%(tasks)s"
            )
            % {
                "label": new.issue_label,
                "v": old.version,
                "tasks": "、".join(
                    f"{t.code}（第{t.decision.number}项）" for t in left
                ),
            },
            url=old.get_absolute_url(),
        )
    return left
