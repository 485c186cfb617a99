"""Campaign reports in the daily digest (registered into notices.digest in
apps.py): a unit's late, due-soon and returned reports, and, for the organising
unit, the other units' late reports."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from members.models import User
from notices.digest import DigestPart

from .inbox import reminder_groups

GROUPS = ("returned", "late", "due", "others_late")


def campaign_digest(day: date) -> Iterator[tuple[User, DigestPart]]:
    labels = {
        "returned": _("专项行动报表被退回"),
        "late": _("专项行动逾期未报"),
        "due": _("专项行动临近报送时限"),
        "others_late": _("牵头活动中逾期未报"),
    }
    url = reverse("campaigns:list") + "?status=open"
    for person, groups in reminder_groups(day):
        body = render_to_string(
            "emails/campaigns/digest.txt",
            {"person": person, "day": day, "site": settings.SITE_URL, **groups},
        )
        counts = tuple((labels[key], len(groups[key])) for key in GROUPS)
        yield person, DigestPart(counts=counts, url=url, body=body)
