"""Workflows of the annual app: the only place that opens rounds and changes
submissions; the meeting pack's are in ``services_pack`` (drafts, issues and
renders it), next year's plan's in ``services_plan`` (builds, approves and turns
it into tasks).

Every function is keyword-only and atomic. Bad input raises ``ValidationError``
with a Chinese message naming the field or row; a stale edit raises
``StaleEdit`` (the view keeps the person's input). Who may call what is checked
by the views (``annual.access``); the services check the state rules.

These three modules are the only ones of the app that tell people things
(``notify``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from duties.models import DutyClause
from meetings import services as meeting_services
from meetings.models import Meeting, Topic
from members.models import Unit, User
from notices.services import notify, office_people, unit_people
from tasks.models import Task

from . import inputs
from .models import (
    Attachment,
    CoordinationItem,
    Pack,
    PlanItem,
    Round,
    SectionKind,
    Submission,
    SubmissionEvent,
)

S = Submission.Status


class StaleEdit(ValidationError):
    """Someone saved the object after this person opened it."""


def _reason(obj, text: str) -> None:
    obj._change_reason = text


def _claim(model, obj, version: int | None):
    """The row locked for update; with ``version``, refused if it moved on."""
    fresh = model.objects.select_for_update().get(pk=obj.pk)
    if version is not None and fresh.edit_version != version:
        raise StaleEdit(
            _(
                "在您编辑期间，他人已保存了新的内容（第 %(v)d 版）。"
                "您的输入仍保留在下方，请核对后再保存。"
            )
            % {"v": fresh.edit_version}
        )
    return fresh


# --- rounds ----------------------------------------------------------------


def check_sections(sections: Sequence[dict]) -> list[dict]:
    """The template as stored: titles trimmed, blanks left out, keys s1, s2 …;
    at most one section of each structured kind, and at least one section."""
    clean = []
    seen_kinds: set[str] = set()
    for section in sections:
        title = (section.get("title") or "").strip()
        if not title:
            continue
        kind = section.get("kind") or SectionKind.TEXT
        if kind not in SectionKind.values:
            raise ValidationError(_("报送提纲“%(t)s”的类型无效。") % {"t": title})
        if kind != SectionKind.TEXT:
            if kind in seen_kinds:
                raise ValidationError(
                    _("报送提纲中“%(k)s”只能有一节。") % {"k": SectionKind(kind).label}
                )
            seen_kinds.add(kind)
        clean.append({"key": f"s{len(clean) + 1}", "title": title, "kind": kind})
    if not clean:
        raise ValidationError(_("报送提纲至少要有一节。"))
    return clean


def duty_prefill(units: Iterable[Unit], year: int) -> dict[int, dict[str, str]]:
    """For each unit, its duty clauses' "what was done" as drafted from the
    year's tasks resting on each clause (lead or co-unit): code, title and state.
    Three queries for every unit at once."""
    units = list(units)
    clauses = list(DutyClause.objects.filter(unit__in=units).order_by("number"))
    links = (
        Task.duties.through.objects.filter(dutyclause__in=clauses)
        .filter(task__created_at__year=year)
        .select_related("task")
        .order_by("task__due_on", "task__code")
    )
    by_clause: dict[int, list[Task]] = {}
    for link in links:
        by_clause.setdefault(link.dutyclause_id, []).append(link.task)
    result: dict[int, dict[str, str]] = {unit.pk: {} for unit in units}
    for clause in clauses:
        tasks = by_clause.get(clause.pk, [])
        if tasks:
            text = "；".join(
                _("%(title)s（%(code)s，%(state)s）")
                % {
                    "title": task.title,
                    "code": task.code,
                    "state": _("已完成销号")
                    if task.status == Task.Status.CLOSED
                    else _("完成进度%(p)d%%") % {"p": task.progress},
                }
                for task in tasks
            )
            text = _("本年度依托该职责承办督办任务%(n)d项：%(list)s。") % {
                "n": len(tasks),
                "list": text,
            }
        else:
            text = ""
        result[clause.unit_id][str(clause.pk)] = text
    return result


def _check_meeting(meeting: Meeting | None) -> None:
    if meeting is not None and meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError({"meeting": _("所选会议已取消。")})


@transaction.atomic
def round_open(
    *,
    year: int,
    title: str,
    deadline: date,
    requires_head_approval: bool,
    instructions: str,
    sections: Sequence[dict],
    meeting: Meeting | None,
    by: User,
) -> Round:
    """Open the round and give every member unit its submission, prefilled with
    its duty clauses' work from the year's tasks; tell the units' accounts."""
    inputs.round_input(
        year=year,
        title=title,
        deadline=deadline,
        instructions=instructions,
        sections=sections,
    )
    if Round.objects.filter(year=year).exists():
        raise ValidationError({"year": _("%(y)d年度的报送已发起。") % {"y": year}})
    if deadline < timezone.localdate():
        raise ValidationError({"deadline": _("截止日期不能早于今天。")})
    _check_meeting(meeting)
    round_ = Round(
        year=year,
        title=title.strip() or _("%(y)d年度工作总结报送") % {"y": year},
        deadline=deadline,
        requires_head_approval=requires_head_approval,
        instructions=instructions.strip(),
        sections=check_sections(sections),
        meeting=meeting,
        created_by=by,
    )
    _reason(round_, _("发起报送"))
    round_.save()
    units = list(Unit.objects.members())
    prefill = duty_prefill(units, year) if round_.section(SectionKind.DUTIES) else {}
    Submission.objects.bulk_create(
        [
            Submission(round=round_, unit=unit, duty_notes=prefill.get(unit.pk, {}))
            for unit in units
        ]
    )
    notify(
        unit_people(units),
        text=_("%(title)s已发起，请于%(d)s前在线填报本单位材料。")
        % {"title": round_.title, "d": round_.deadline.isoformat()},
        url=round_.get_absolute_url(),
        subject=_("【年度工作报送】%(title)s") % {"title": round_.title},
    )
    return round_


@transaction.atomic
def round_edit(
    *,
    round_: Round,
    deadline: date,
    requires_head_approval: bool,
    instructions: str,
    meeting: Meeting | None,
    by: User,
) -> Round:
    """Change the deadline, the approval rule, the instructions or the meeting
    (the template of sections stays: units are writing on it)."""
    inputs.round_input(deadline=deadline, instructions=instructions)
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    _check_meeting(meeting)
    moved = deadline != round_.deadline
    round_.deadline = deadline
    round_.requires_head_approval = requires_head_approval
    round_.instructions = instructions.strip()
    round_.meeting = meeting
    _reason(round_, _("修改报送要求"))
    round_.save()
    if moved:
        waiting = Unit.objects.filter(
            annual_submissions__round=round_,
            annual_submissions__status__in=[S.DRAFT, S.RETURNED, S.PENDING_HEAD],
        )
        notify(
            unit_people(waiting),
            text=_("%(title)s的截止日期调整为%(d)s。")
            % {"title": round_.title, "d": deadline.isoformat()},
            url=round_.get_absolute_url(),
        )
    return round_


@transaction.atomic
def round_remind(*, round_: Round, by: User, units: Iterable[Unit] = ()) -> int:
    """Remind the units that have not submitted (or only ``units`` of them);
    returns how many units were reminded."""
    waiting = round_.submissions.exclude(status=S.SUBMITTED).select_related("unit")
    chosen = {u.pk for u in units}
    if chosen:
        waiting = waiting.filter(unit_id__in=chosen)
    waiting = list(waiting)
    if not waiting:
        return 0
    now = timezone.now()
    days = round_.workdays_left()
    for submission in waiting:
        SubmissionEvent.objects.create(
            submission=submission, kind=SubmissionEvent.Kind.REMINDED, actor=by
        )
    Submission.objects.filter(pk__in=[s.pk for s in waiting]).update(reminded_at=now)
    text = (
        _("请抓紧报送%(title)s，截止日期%(d)s（还剩%(n)d个工作日）。")
        % {"title": round_.title, "d": round_.deadline.isoformat(), "n": days}
        if not round_.is_past_deadline
        else _("%(title)s已过截止日期%(d)s，请尽快报送。")
        % {"title": round_.title, "d": round_.deadline.isoformat()}
    )
    for submission in waiting:
        notify(
            unit_people([submission.unit]),
            text=text,
            url=submission.get_absolute_url(),
            subject=_("【催报】%(title)s") % {"title": round_.title},
        )
    return len(waiting)


# --- submissions ------------------------------------------------------------


def _require_unit_editor(submission: Submission, by: User) -> None:
    if not (by.is_unit_member and by.unit_id == submission.unit_id):
        raise PermissionDenied(_("只有本单位的联络员或分管负责同志可以填报。"))


def _editable(submission: Submission) -> None:
    if not submission.is_editable:
        raise ValidationError(
            _("材料当前状态为“%(s)s”，不能修改。")
            % {"s": submission.get_status_display()}
        )


@transaction.atomic
def submission_save(
    *,
    submission: Submission,
    by: User,
    version: int,
    texts: dict[str, str],
    duty_notes: dict[str, str],
    plan_items: Sequence[dict],
    coordination_items: Sequence[dict],
    uploads: Sequence = (),
) -> Submission:
    """Save the unit's draft: section texts, duty notes, the plan items and the
    coordination items (replacing the earlier ones) and new attachments."""
    inputs.submission_input(
        submission.round,
        texts=texts,
        duty_notes=duty_notes,
        plan_items=plan_items,
        coordination_items=coordination_items,
    )
    _require_unit_editor(submission, by)
    submission = _claim(Submission, submission, version)
    _editable(submission)
    round_ = submission.round
    keys = {s["key"] for s in round_.text_sections}
    submission.texts = {k: (v or "").strip() for k, v in texts.items() if k in keys}
    clauses = {
        str(pk)
        for pk in DutyClause.objects.filter(unit_id=submission.unit_id).values_list(
            "pk", flat=True
        )
    }
    submission.duty_notes = {
        k: (v or "").strip() for k, v in duty_notes.items() if k in clauses
    }
    submission.edit_version += 1
    _reason(submission, _("保存"))
    submission.save()
    own_clauses = DutyClause.objects.filter(unit_id=submission.unit_id)
    submission.plan_items.all().delete()
    for order, item in enumerate(plan_items, start=1):
        duties = list(item.get("duties") or [])
        if any(d.unit_id != submission.unit_id for d in duties):
            raise ValidationError(
                _("第%(n)d条工作打算：只能选本单位的职责条款。") % {"n": order}
            )
        plan_item = PlanItem.objects.create(
            submission=submission,
            order=order,
            text=item["text"].strip(),
            due_on=item["due_on"],
        )
        plan_item.duties.set([d for d in duties if d in own_clauses])
    # Items already made topics keep their link (matched by title).
    linked = {
        c.title: c.topic_id
        for c in submission.coordination_items.filter(topic__isnull=False)
    }
    submission.coordination_items.all().delete()
    for order, item in enumerate(coordination_items, start=1):
        CoordinationItem.objects.create(
            submission=submission,
            order=order,
            title=item["title"].strip(),
            description=(item.get("description") or "").strip(),
            topic_id=linked.get(item["title"].strip()),
        )
    for upload in uploads:
        Attachment.objects.create(
            submission=submission,
            file=upload,
            original_name=upload.name[:200],
            content_type=getattr(upload, "sniffed_type", "")
            or "application/octet-stream",
            size=upload.size,
            uploaded_by=by,
        )
    SubmissionEvent.objects.create(
        submission=submission, kind=SubmissionEvent.Kind.SAVED, actor=by
    )
    return submission


def missing_parts(submission: Submission) -> list[str]:
    """What the template asks for and the submission lacks (named sections)."""
    round_ = submission.round
    missing = [
        s["title"]
        for s in round_.text_sections
        if not (submission.texts.get(s["key"]) or "").strip()
    ]
    duties = round_.section(SectionKind.DUTIES)
    if duties and submission.duty_notes:
        if not any((v or "").strip() for v in submission.duty_notes.values()):
            missing.append(duties["title"])
    plan = round_.section(SectionKind.PLAN)
    if plan and not submission.plan_items.exists():
        missing.append(plan["title"])
    return missing


@transaction.atomic
def submission_submit(*, submission: Submission, by: User, version: int) -> Submission:
    """Submit: to the unit head first where the round requires it (unless the head
    submits), else to the office."""
    _require_unit_editor(submission, by)
    submission = _claim(Submission, submission, version)
    _editable(submission)
    missing = missing_parts(submission)
    if missing:
        raise ValidationError(
            _("以下部分尚未填写，不能提交：%(parts)s。") % {"parts": "、".join(missing)}
        )
    round_ = submission.round
    now = timezone.now()
    submission.submitted_at = now
    submission.submitted_by = by
    submission.return_reason = ""
    submission.edit_version += 1
    unit = submission.unit
    if round_.requires_head_approval and by.role != User.Role.UNIT_HEAD:
        submission.status = S.PENDING_HEAD
        _reason(submission, _("提交分管负责同志审核"))
        submission.save()
        SubmissionEvent.objects.create(
            submission=submission, kind=SubmissionEvent.Kind.TO_HEAD, actor=by
        )
        notify(
            unit_people([unit], roles=[User.Role.UNIT_HEAD]),
            text=_("%(unit)s的%(title)s材料待您审核。")
            % {"unit": unit.name, "title": round_.title},
            url=submission.get_absolute_url(),
            subject=_("【待审核】%(title)s") % {"title": round_.title},
        )
        return submission
    if round_.requires_head_approval:
        submission.head_approved_at = now
        submission.head_approved_by = by
    return _to_office(submission, by, SubmissionEvent.Kind.SUBMITTED)


def _to_office(submission: Submission, by: User, kind: str) -> Submission:
    submission.status = S.SUBMITTED
    _reason(submission, _("报送"))
    submission.save()
    SubmissionEvent.objects.create(submission=submission, kind=kind, actor=by)
    notify(
        office_people(),
        text=_("%(unit)s已报送%(title)s材料。")
        % {"unit": submission.unit.name, "title": submission.round.title},
        url=submission.get_absolute_url(),
    )
    return submission


@transaction.atomic
def submission_approve(*, submission: Submission, by: User) -> Submission:
    """The unit head approves: the submission goes to the office."""
    if not (by.role == User.Role.UNIT_HEAD and by.unit_id == submission.unit_id):
        raise PermissionDenied(_("只有本单位分管负责同志可以审核。"))
    submission = _claim(Submission, submission, None)
    if submission.status != S.PENDING_HEAD:
        raise ValidationError(_("材料不在待审核状态。"))
    submission.head_approved_at = timezone.now()
    submission.head_approved_by = by
    submission.edit_version += 1
    return _to_office(submission, by, SubmissionEvent.Kind.APPROVED)


@transaction.atomic
def submission_return(*, submission: Submission, by: User, reason: str) -> Submission:
    """Send the submission back with a reason: the office a submitted one, the
    unit head one waiting for their approval."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("请填写退回理由。")})
    submission = _claim(Submission, submission, None)
    if by.is_office:
        if submission.status != S.SUBMITTED:
            raise ValidationError(_("只能退回已报送的材料。"))
        if Pack.objects.filter(round_id=submission.round_id).exclude(issued_at=None):
            raise ValidationError(_("材料汇编已印发，不能再退回。"))
        kind, text = (
            SubmissionEvent.Kind.RETURNED,
            _("领导小组办公室退回了本单位的%(title)s材料：%(reason)s"),
        )
        people = unit_people([submission.unit])
    elif by.role == User.Role.UNIT_HEAD and by.unit_id == submission.unit_id:
        if submission.status != S.PENDING_HEAD:
            raise ValidationError(_("材料不在待审核状态。"))
        kind, text = (
            SubmissionEvent.Kind.HEAD_RETURNED,
            _("分管负责同志退回了本单位的%(title)s材料：%(reason)s"),
        )
        people = unit_people([submission.unit], roles=[User.Role.LIAISON])
    else:
        raise PermissionDenied(_("无权退回该材料。"))
    submission.status = S.RETURNED
    submission.return_reason = reason
    submission.edit_version += 1
    _reason(submission, _("退回"))
    submission.save()
    SubmissionEvent.objects.create(
        submission=submission, kind=kind, actor=by, note=reason
    )
    notify(
        people,
        text=text % {"title": submission.round.title, "reason": reason},
        url=submission.get_absolute_url(),
        subject=_("【退回】%(title)s") % {"title": submission.round.title},
    )
    return submission


@transaction.atomic
def attachment_delete(*, attachment: Attachment, by: User) -> None:
    submission = attachment.submission
    _require_unit_editor(submission, by)
    _editable(submission)
    attachment.file.delete(save=False)
    attachment.delete()


@transaction.atomic
def coordination_to_topic(*, item: CoordinationItem, by: User) -> Topic:
    """Make a unit's coordination item a topic (议题) on the round's meeting's
    agenda, through the meetings services (one step for the office)."""
    item = CoordinationItem.objects.select_for_update().get(pk=item.pk)
    submission = item.submission
    if item.topic_id is not None:
        raise ValidationError(_("该事项已转为议题。"))
    if submission.status != S.SUBMITTED:
        raise ValidationError(_("材料报送后才能将其中的事项转为议题。"))
    meeting = submission.round.meeting
    if meeting is None or not meeting.is_planned:
        raise ValidationError(
            _("请先为本次报送指定一次“已计划”的会议，再将事项列入其议程。")
        )
    topic = meeting_services.topic_raise(
        unit=submission.unit,
        by=by,
        title=item.title,
        description=item.description,
    )
    topic = meeting_services.topic_schedule(
        topic=topic, meeting=meeting, presenter=submission.unit.name, by=by
    )
    item.topic = topic
    item.save(update_fields=["topic"])
    notify(
        unit_people([submission.unit]),
        text=_("本单位提请协调的事项“%(t)s”已列入%(m)s议程。")
        % {"t": item.title, "m": meeting.title},
        url=topic.get_absolute_url(),
    )
    return topic
