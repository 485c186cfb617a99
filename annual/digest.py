"""The annual round's part of the daily digest (notices.digest): a unit's
accounts hear about their submission once the deadline is within the warning
window of working days or past, while it is not submitted; a unit head hears
about a submission waiting for their approval."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from members.models import User
from notices.digest import DigestPart
from notices.services import UNIT_ROLES

from .models import Submission, warning_until

S = Submission.Status


def round_digest(day: date) -> Iterator[tuple[User, DigestPart]]:
    warn_until = warning_until(day)
    waiting = list(
        Submission.objects.filter(
            status__in=[S.DRAFT, S.RETURNED, S.PENDING_HEAD],
            round__deadline__lte=warn_until,
            round__pack__issued_at__isnull=True,
        ).select_related("round", "unit")
    )
    if not waiting:
        return
    by_unit: dict[int, list[Submission]] = {}
    for submission in waiting:
        by_unit.setdefault(submission.unit_id, []).append(submission)
    people = User.objects.filter(
        unit_id__in=by_unit, role__in=UNIT_ROLES, is_active=True
    ).order_by("unit_id", "role", "pk")
    labels = {
        "overdue": _("年度报送逾期"),
        "due_soon": _("年度报送临近截止"),
        "to_approve": _("年度报送待审核"),
    }
    for person in people:
        groups: dict[str, list[Submission]] = {k: [] for k in labels}
        for submission in by_unit[person.unit_id]:
            if submission.status == S.PENDING_HEAD:
                if person.role == User.Role.UNIT_HEAD:
                    groups["to_approve"].append(submission)
                continue
            key = "overdue" if submission.round.deadline < day else "due_soon"
            groups[key].append(submission)
        counts = tuple((labels[k], len(groups[k])) for k in labels)
        if not any(n for _label, n in counts):
            continue
        first = next(s for k in labels for s in groups[k])
        body = render_to_string(
            "emails/annual/digest.txt",
            {"person": person, "day": day, "site": settings.SITE_URL, **groups},
        )
        yield person, DigestPart(counts=counts, url=first.get_absolute_url(), body=body)
