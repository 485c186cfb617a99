"""Who may see or act on rounds, submissions, the pack and the plan: the annual
app's access helper.

404 for people who may not see an object (its existence is not revealed), 403
for people who see it but may not do the action.

- A round's page: the office, the leaders and every member unit's accounts (a
  unit sees its own line; the others' lines only once the pack is issued).
- A submission: the office and the leaders; its own unit's accounts; every
  member unit's accounts once the round's pack is issued to the group (submitted
  ones only). Only its unit's liaison and head edit and submit it; only its
  head approves it; the office returns it.
- The pack: the office and the leaders; the units once it is issued. The
  office edits and issues it.
- Next year's plan: the office and the leaders (units see the tasks it becomes).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from members.access import sees_everything
from members.models import User

from .models import Attachment, Pack, Plan, Round, Submission


def _active(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


def require_round_reader(user: User) -> None:
    """Round pages: the office, the leaders and the units' accounts."""
    if not (_active(user) and (user.sees_everything or user.is_unit_member)):
        raise Http404


def get_round_for(user: User, pk: int, *, office: bool = False) -> Round:
    require_round_reader(user)
    round_ = get_object_or_404(
        Round.objects.select_related("meeting", "pack", "plan"), pk=pk
    )
    if office and not user.is_office:
        raise PermissionDenied
    return round_


def get_submission_for(user: User, pk: int) -> Submission:
    """The submission if ``user`` may read it (else 404)."""
    if not _active(user):
        raise Http404
    return get_object_or_404(
        Submission.objects.visible_to(user).select_related(
            "round__meeting",
            "round__pack",
            "unit",
            "submitted_by",
            "head_approved_by",
        ),
        pk=pk,
    )


def may_edit(user: User, submission: Submission) -> bool:
    """Its own unit's liaison or head, while it is a draft or returned."""
    return (
        _active(user)
        and user.is_unit_member
        and user.unit_id == submission.unit_id
        and submission.is_editable
    )


def may_approve(user: User, submission: Submission) -> bool:
    return (
        _active(user)
        and user.role == User.Role.UNIT_HEAD
        and user.unit_id == submission.unit_id
        and submission.status == Submission.Status.PENDING_HEAD
    )


def may_return(user: User, submission: Submission) -> bool:
    if not _active(user):
        return False
    if user.is_office:
        return (
            submission.status == Submission.Status.SUBMITTED
            and not submission.round.pack_issued
        )
    return may_approve(user, submission)


def submission_actions(user: User, submission: Submission) -> dict[str, bool]:
    """What the submission page offers this person (the services check again)."""
    return {
        "edit": may_edit(user, submission),
        "approve": may_approve(user, submission),
        "return": may_return(user, submission),
        "to_topic": bool(user.is_authenticated and user.is_office)
        and submission.status == Submission.Status.SUBMITTED,
    }


def get_submission_to_edit(user: User, pk: int) -> Submission:
    submission = get_submission_for(user, pk)
    if not (user.is_unit_member and user.unit_id == submission.unit_id):
        raise PermissionDenied
    return submission


def get_attachment_for(user: User, pk: int) -> Attachment:
    attachment = get_object_or_404(Attachment, pk=pk)
    # the submission's own rule decides (404 when it is not visible)
    attachment.submission = get_submission_for(user, attachment.submission_id)
    return attachment


def may_read_pack(user: User, pack: Pack) -> bool:
    """The office and the leaders always; the units' accounts once it is issued."""
    return _active(user) and (
        sees_everything(user) or (user.is_unit_member and pack.is_issued)
    )


def get_pack_for(user: User, round_pk: int, *, office: bool = False) -> Pack:
    """The pack if ``user`` may read it: the office and the leaders always, the
    units once it is issued (else 404); with ``office``, only office staff act."""
    if not _active(user):
        raise Http404
    pack = get_object_or_404(
        Pack.objects.select_related("round", "meeting", "issued_by"),
        round_id=round_pk,
    )
    if not may_read_pack(user, pack):
        raise Http404
    if office and not user.is_office:
        raise PermissionDenied
    return pack


def get_plan_for(user: User, round_pk: int, *, office: bool = False) -> Plan:
    if not sees_everything(user):
        raise Http404
    plan = get_object_or_404(
        Plan.objects.select_related("round", "work_plan", "approved_by"),
        round_id=round_pk,
    )
    if office and not user.is_office:
        raise PermissionDenied
    return plan
