"""The minutes workflow (纪要): draft, edit, submit, approve or return, issue with
a document number, correct by a new version. Part of ``meetings.services`` (import
it from there); the rules of that package's docstring hold here too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jinwei_ip.lib.forms import StaleEdit
from jinwei_ip.lib.numbering import assign_document_number
from jinwei_ip.lib.text import check_official_texts, official_text_problem
from members.models import Unit, User
from notices.services import notices_settled, notify, office_people, unit_people

from ..hooks import correction_followers
from ..models import Decision, Meeting, Minutes
from ..pdf import document_facts
from .meetings import _reason, meeting_grants_sync


@dataclass
class DecisionInput:
    text: str
    suggested_units: Sequence[Unit] = field(default_factory=list)
    pk: int | None = None


def _validate_minutes(title: str, narrative: str, decisions: Sequence[DecisionInput]):
    texts = {
        "title": (_("纪要标题"), title),
        "narrative": (_("纪要正文"), narrative),
    }
    for n, d in enumerate(decisions, start=1):
        if official_text_problem(d.text):
            texts["decisions"] = (_("议定事项第%(n)d项") % {"n": n}, d.text)
            break
    check_official_texts(texts)
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = [_("请填写纪要标题。")]
    for n, d in enumerate(decisions, start=1):
        if not d.text.strip():
            errors.setdefault("decisions", []).append(
                _("议定事项第%(n)d项：请填写内容。") % {"n": n}
            )
    if errors:
        raise ValidationError(errors)


def _save_decisions(minutes: Minutes, decisions: Sequence[DecisionInput]) -> None:
    """Make the minutes' decided matters exactly ``decisions``, numbered from 1.

    Matters keep their rows (and history) when edited or moved; numbers are first
    moved out of the way so the unique (minutes, number) never collides.
    """
    existing = {d.pk: d for d in minutes.decisions.all()}
    keep = {d.pk for d in decisions if d.pk in existing}
    for pk, decision in existing.items():
        if pk not in keep:
            _reason(decision, _("删除议定事项"))
            decision.delete()
    Decision.objects.filter(minutes=minutes).update(number=F("number") + 1000)
    for number, item in enumerate(decisions, start=1):
        decision = existing.get(item.pk) if item.pk in keep else None
        if decision is None:
            decision = Decision(minutes=minutes)
            _reason(decision, _("新增议定事项"))
        else:
            _reason(decision, _("修改议定事项"))
        decision.number = number
        decision.text = item.text.strip()
        decision.save()
        decision.set_suggested_units(item.suggested_units)


@transaction.atomic
def minutes_draft(
    *,
    meeting: Meeting,
    by: User,
    title: str,
    narrative: str,
    decisions: Sequence[DecisionInput] = (),
) -> Minutes:
    """The first draft of a held meeting's minutes (version 1)."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not meeting.is_held:
        raise ValidationError(_("会议召开后才能起草纪要。"))
    if meeting.minutes.exists():
        raise ValidationError(_("该会议已有纪要；如需更正，请在已印发的纪要上“更正”。"))
    _validate_minutes(title, narrative, decisions)
    minutes = Minutes(
        meeting=meeting,
        version=1,
        title=title.strip(),
        narrative=narrative.strip(),
        drafted_by=by,
    )
    _reason(minutes, _("起草纪要"))
    minutes.save()
    _save_decisions(minutes, decisions)
    return minutes


@transaction.atomic
def minutes_update(
    *,
    minutes: Minutes,
    by: User,
    title: str,
    narrative: str,
    decisions: Sequence[DecisionInput],
    edit_version: int,
) -> Minutes:
    """Save a draft. ``edit_version`` is the version the person opened: if someone
    saved since, ``StaleEdit`` carries the current minutes and nothing is written."""
    current = Minutes.objects.select_for_update().get(pk=minutes.pk)
    if not current.is_draft:
        raise ValidationError(
            _("纪要当前状态为“%(status)s”，不能修改。")
            % {"status": current.get_status_display()}
        )
    if current.edit_version != edit_version:
        raise StaleEdit(
            _(
                "保存前，纪要已被他人修改（见下方“当前已保存的内容”）。您填写的内容仍在表单中：核对后再次保存将覆盖对方的修改。"
            ),
            current=current,
        )
    _validate_minutes(title, narrative, decisions)
    current.title = title.strip()
    current.narrative = narrative.strip()
    current.edit_version += 1
    _reason(current, _("修改纪要"))
    current.save()
    _save_decisions(current, decisions)
    return current


def _locked_minutes(minutes: Minutes, status: str, message: str) -> Minutes:
    current = (
        Minutes.objects.select_for_update().select_related("meeting").get(pk=minutes.pk)
    )
    if current.status != status:
        raise ValidationError(message)
    return current


@transaction.atomic
def minutes_submit(*, minutes: Minutes, by: User) -> Minutes:
    minutes = _locked_minutes(minutes, Minutes.Status.DRAFT, _("只有草稿可以报审。"))
    if not minutes.narrative.strip():
        raise ValidationError(_("纪要正文为空，不能报审。"))
    if not minutes.decisions.exists():
        raise ValidationError(_("纪要至少要有一项议定事项才能报审。"))
    minutes.status = Minutes.Status.SUBMITTED
    minutes.submitted_at = timezone.now()
    minutes.edit_version += 1
    _reason(minutes, _("报送审批"))
    minutes.save()
    notify(
        _approvers(minutes),
        text=_("纪要待您审批：%(title)s（第%(v)d版）")
        % {"title": minutes.title, "v": minutes.version},
        url=minutes.get_absolute_url(),
        subject=_("【纪要待审批】%(title)s") % {"title": minutes.title},
    )
    return minutes


def _approvers(minutes: Minutes) -> list[User]:
    """The active leaders who may approve these minutes (the convener)."""
    return [
        u
        for u in User.objects.filter(role=User.Role.LEADER, is_active=True)
        if minutes.may_be_approved_by(u)
    ]


def _approval_settled(minutes: Minutes) -> None:
    """Every leader was asked (纪要待您审批); once one has decided, the request is
    no longer pending in the others' notices."""
    notices_settled(
        minutes.get_absolute_url(),
        when=timezone.now(),
        recipients=User.objects.filter(role=User.Role.LEADER),
    )


@transaction.atomic
def minutes_approve(*, minutes: Minutes, by: User) -> Minutes:
    minutes = _locked_minutes(
        minutes, Minutes.Status.SUBMITTED, _("只有待审批的纪要可以审批。")
    )
    if not minutes.may_be_approved_by(by):
        raise PermissionDenied(_("纪要由会议召集人审批。"))
    minutes.status = Minutes.Status.APPROVED
    minutes.approved_by = by
    minutes.approved_at = timezone.now()
    minutes.return_reason = ""
    minutes.returned_by = None
    minutes.returned_at = None
    _reason(minutes, _("审批同意"))
    minutes.save()
    _approval_settled(minutes)
    notify(
        office_people(),
        text=_("纪要已审批同意，请编号印发：%(title)s（审批人：%(by)s）")
        % {"title": minutes.title, "by": by},
        url=minutes.get_absolute_url(),
    )
    return minutes


@transaction.atomic
def minutes_return(*, minutes: Minutes, by: User, reason: str) -> Minutes:
    minutes = _locked_minutes(
        minutes, Minutes.Status.SUBMITTED, _("只有待审批的纪要可以退回。")
    )
    if not minutes.may_be_approved_by(by):
        raise PermissionDenied(_("纪要由会议召集人审批。"))
    if not reason.strip():
        raise ValidationError({"reason": _("请写明退回理由。")})
    minutes.status = Minutes.Status.DRAFT
    minutes.return_reason = reason.strip()
    minutes.returned_by = by
    minutes.returned_at = timezone.now()
    minutes.submitted_at = None
    minutes.edit_version += 1
    _reason(minutes, _("退回修改：%(reason)s") % {"reason": reason.strip()})
    minutes.save()
    _approval_settled(minutes)
    notify(
        office_people(),
        text=_("纪要被退回修改：%(title)s。退回理由：%(reason)s")
        % {"title": minutes.title, "reason": reason.strip()},
        url=minutes.get_absolute_url(),
    )
    return minutes


@transaction.atomic
def minutes_issue(*, minutes: Minutes, by: User) -> Minutes:
    """Issue approved minutes with the next number of the year (〔2026〕第3期),
    freeze them, and let the units the meeting concerns read them."""
    minutes = _locked_minutes(
        minutes, Minutes.Status.APPROVED, _("只有已审批的纪要可以印发。")
    )
    assign_document_number(minutes, year=timezone.localdate().year)
    minutes.status = Minutes.Status.ISSUED
    minutes.issued_by = by
    minutes.issued_at = timezone.now()
    # Freeze what the document shows from the meeting: attendance and units stay
    # editable, the issued minutes do not change with them. In the document's
    # language, whoever issues.
    with translation.override(settings.LANGUAGE_CODE):
        minutes.snapshot = document_facts(minutes)
    # The units the document went to (its 分送), kept so they go on reading it if
    # the meeting's units are edited later (Meeting.minutes_readers). Worked out
    # here, not in document_facts, which every draft page and PDF reads.
    minutes.snapshot["reader_unit_ids"] = sorted(
        u.pk for u in minutes.meeting.concerned_units()
    )
    minutes.edit_version += 1
    _reason(minutes, _("印发 %(label)s") % {"label": minutes.issue_label})
    minutes.save()
    meeting_grants_sync(meeting=minutes.meeting)
    notify(
        unit_people(minutes.meeting.minutes_readers()),
        text=_("会议纪要已印发：%(title)s %(label)s")
        % {"title": minutes.title, "label": minutes.issue_label},
        url=minutes.get_absolute_url(),
        subject=_("【会议纪要】%(title)s %(label)s")
        % {"title": minutes.title, "label": minutes.issue_label},
    )
    # What was made from the superseded version follows the correction (tasks
    # move to the new version's decided matters); what cannot is kept here.
    minutes.tasks_left_behind = (
        [left for follow in correction_followers for left in follow(new=minutes, by=by)]
        if minutes.supersedes_id
        else []
    )
    return minutes


@transaction.atomic
def minutes_correct(*, minutes: Minutes, by: User, reason: str) -> Minutes:
    """Start a correction of issued minutes: a new draft version copying the text and
    the decided matters. The issued version stays as it is, readable, and links to it."""
    minutes = _locked_minutes(
        minutes, Minutes.Status.ISSUED, _("只有已印发的纪要需要以更正的方式修改。")
    )
    if not reason.strip():
        raise ValidationError({"reason": _("请写明更正理由。")})
    if minutes.is_superseded:
        raise ValidationError(_("该版本已有更正版本，请在最新版本上操作。"))
    top = minutes.meeting.minutes.aggregate(n=Max("version"))["n"]
    new = Minutes(
        meeting=minutes.meeting,
        version=top + 1,
        title=minutes.title,
        narrative=minutes.narrative,
        correction_reason=reason.strip(),
        supersedes=minutes,
        drafted_by=by,
    )
    _reason(
        new,
        _("更正第%(v)d版：%(reason)s")
        % {"v": minutes.version, "reason": reason.strip()},
    )
    new.save()
    for old in minutes.decisions.prefetch_related("unit_links__unit"):
        copy = Decision(minutes=new, number=old.number, text=old.text)
        _reason(copy, _("更正时复制"))
        copy.save()
        copy.set_suggested_units(old.suggested_units_in_order())
    return new
