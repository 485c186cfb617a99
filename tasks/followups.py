"""Follow-up review (前次会议议定事项落实情况): every meeting looks at the decided
matters of earlier meetings that are still open, and the office records what the
meeting decided for each. The disposition acts on the task through the task
services' own steps (a claimed change, history, a timeline entry, notices), and
the list prints as a section of the meeting's minutes (``minutes_section``,
registered into ``meetings.hooks.minutes_sections``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jinwei_ip.lib.pdf import official_date
from meetings.models import Meeting, Minutes
from meetings.services import topic_raise
from members.models import User
from notices.services import notify, office_people

from . import extensions, services
from .models import Extension, FollowUp, Task, TaskEvent

S = Task.Status
D = FollowUp.Disposition


def review_tasks(meeting: Meeting):
    """The decided matters' tasks this meeting reviews: those of earlier meetings
    still open, and those it already disposed of (closed ones included), in the
    order of their meetings and codes."""
    earlier = Q(
        status__in=Task.OPEN_STATUSES,
        decision__minutes__meeting__starts_at__lt=meeting.starts_at,
    ) & ~Q(decision__minutes__meeting=meeting)
    return (
        Task.objects.filter(earlier | Q(follow_ups__meeting=meeting))
        .distinct()
        .select_related("lead_unit", "decision__minutes__meeting")
        .order_by("decision__minutes__meeting__starts_at", "code")
    )


@dataclass
class ReviewRow:
    task: Task
    follow_up: FollowUp | None
    form: object = None  # the page's form for the row (office, not yet recorded)


def review_rows(meeting: Meeting) -> list[ReviewRow]:
    """One row per reviewed task with this meeting's disposition, in two queries."""
    tasks = list(review_tasks(meeting))
    recorded = {
        f.task_id: f
        for f in FollowUp.objects.filter(meeting=meeting).select_related("decided_by")
    }
    return [ReviewRow(task=t, follow_up=recorded.get(t.pk)) for t in tasks]


def review_refusal(meeting: Meeting) -> str:
    """Why this meeting's dispositions can no longer be recorded, or ''."""
    if meeting.status == Meeting.Status.CANCELLED:
        return _("会议已取消。")
    if meeting.minutes.filter(status=Minutes.Status.ISSUED).exists():
        return _("本次会议纪要已印发，前次会议议定事项的处理意见不能再记录。")
    return ""


@transaction.atomic
def follow_up_record(
    *,
    meeting: Meeting,
    task: Task,
    disposition: str,
    by: User,
    new_due_on: date | None = None,
    note: str = "",
) -> FollowUp:
    """Record what ``meeting`` decided on an earlier meeting's open task, and act
    on the task: 继续督办 (a timeline entry, the units told), 同意销号 (the task is
    closed — it must have asked for closure), 调整时限 (the deadline moves as an
    approved extension would: the original deadline and the change stay on record),
    提请全体会议研究 (a topic for the plenary, raised for the lead unit)."""
    if not by.is_office:
        raise PermissionDenied(_("前次会议议定事项的处理意见由办公室记录。"))
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    refusal = review_refusal(meeting)
    if refusal:
        raise ValidationError(refusal)
    if disposition not in D.values:
        raise ValidationError({"disposition": _("请选择处理意见。")})
    note = note.strip()
    if (
        not review_tasks(meeting)
        .filter(pk=task.pk, status__in=Task.OPEN_STATUSES)
        .exists()
    ):
        raise ValidationError(_("该任务不是本次会议需要研究的前次会议未办结事项。"))
    if FollowUp.objects.filter(meeting=meeting, task=task).exists():
        raise ValidationError(_("本次会议已记录该事项的处理意见。"))
    task = Task.objects.get(pk=task.pk)
    heard = _("经%(meeting)s研究，") % {"meeting": meeting.title}
    follow_up = FollowUp(
        meeting=meeting,
        task=task,
        disposition=disposition,
        due_before=task.due_on,
        note=note,
        decided_by=by,
    )
    if disposition == D.CLOSE:
        if task.status != S.CLOSURE_REQUESTED:
            raise ValidationError(
                {
                    "disposition": _(
                        "该任务尚未申请销号（当前为“%(status)s”）：请牵头单位报送办结"
                        "情况并申请销号，或选择继续督办、调整时限。"
                    )
                    % {"status": task.get_status_display()}
                }
            )
        services.task_close(task=task, by=by, note=heard + _("同意销号。") + note)
    elif disposition == D.RESCHEDULE:
        _reschedule(task, new_due_on, by=by, why=heard + _("调整完成时限。") + note)
        follow_up.new_due_on = new_due_on
    else:
        _note(task, disposition, by=by, heard=heard, note=note)
    follow_up.save()
    return follow_up


def _reschedule(task: Task, new_due_on: date | None, *, by: User, why: str) -> None:
    if new_due_on is None:
        raise ValidationError({"new_due_on": _("调整时限时请填写新的完成时限。")})
    refusal = extensions.extension_date_refusal(task.due_on, new_due_on)
    if refusal:
        raise ValidationError({"new_due_on": refusal})
    task = services._claim(task, statuses=Task.OPEN_STATUSES)
    if task.extensions.filter(status=Extension.Status.PENDING).exists():
        raise ValidationError(
            {"new_due_on": _("该任务有一项延期申请待审批，请先审批该申请。")}
        )
    now = timezone.now()
    extension = Extension(
        task=task,
        unit=task.lead_unit,
        requested_by=by,
        reason=why,
        old_due_on=task.due_on,
        new_due_on=new_due_on,
        status=Extension.Status.APPROVED,
        decided_by=by,
        decided_at=now,
        decision_note=why,
    )
    extension._history_user = by
    extension._change_reason = _("会议调整时限")
    extension.save()
    old = task.due_on
    task.due_on = new_due_on
    task.last_activity_at = now
    services._save(task, by, _("会议调整时限"))
    services._event(
        task,
        TaskEvent.Kind.EXTENSION_APPROVED,
        by,
        unit=task.lead_unit,
        note=_("完成时限由 %(old)s 调整为 %(new)s；%(why)s")
        % {"old": old, "new": new_due_on, "why": why},
    )
    services.notify_unit(
        task,
        [task.lead_unit, *task.co_units.all()],
        text=_("任务 %(code)s 的完成时限经会议研究调整为 %(new)s")
        % {"code": task.code, "new": new_due_on},
    )


def _note(task: Task, disposition: str, *, by: User, heard: str, note: str) -> None:
    task = services._claim(task, statuses=Task.OPEN_STATUSES)
    what = D(disposition).label
    task.last_activity_at = timezone.now()
    services._save(task, by, str(what))
    services._event(
        task, TaskEvent.Kind.FOLLOWED_UP, by, note=f"{heard}{what}。{note}".rstrip()
    )
    services.notify_unit(
        task,
        [task.lead_unit, *task.co_units.all()],
        text=_("任务 %(code)s：%(heard)s%(what)s。%(note)s")
        % {"code": task.code, "heard": heard, "what": what, "note": note},
    )
    if disposition == D.REFER:
        topic = topic_raise(
            unit=task.lead_unit,
            by=by,
            title=_("关于%(code)s“%(title)s”落实情况的研究")
            % {"code": task.code, "title": task.title[:80]},
            description=f"{heard}{what}。{note}",
            related_units=list(task.co_units.all()),
        )
        notify(
            office_people(),
            text=_("已形成提请全体会议研究的议题：%(title)s") % {"title": topic.title},
            url=topic.get_absolute_url(),
        )


def minutes_section(minutes: Minutes) -> list[dict]:
    """The section the minutes print: each disposition of this meeting, numbered,
    with the task, its lead unit and what was decided."""
    follow_ups = list(
        FollowUp.objects.filter(meeting_id=minutes.meeting_id)
        .select_related("task__lead_unit")
        .order_by("task__code")
    )
    if not follow_ups:
        return []
    lines = []
    for n, f in enumerate(follow_ups, start=1):
        what = f.get_disposition_display()
        if f.disposition == D.RESCHEDULE and f.new_due_on:
            what = _("调整时限至%(d)s") % {"d": official_date(f.new_due_on)}
        lines.append(
            _("%(n)d. %(code)s %(title)s（牵头单位：%(unit)s）：%(what)s。%(note)s")
            % {
                "n": n,
                "code": f.task.code,
                "title": f.task.title,
                "unit": f.task.lead_unit.name,
                "what": what,
                "note": f.note,
            }
        )
    return [
        {
            "heading": _("前次会议议定事项落实情况"),
            "intro": _("会议听取了前次会议议定事项落实情况的汇报，研究如下："),
            "lines": lines,
        }
    ]
