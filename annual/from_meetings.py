"""What annual adds to the meetings app's pages (``meetings.hooks``): a meeting's
page links to the meeting pack (会议材料汇编) of the round it belongs to, for the
people who may read the pack (``access.may_read_pack``)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from meetings.models import Meeting
from members.models import User

from .access import may_read_pack
from .models import Pack


def pack_links(user: User, meeting: Meeting) -> list[dict]:
    """One query: the packs of this meeting (one per round) the viewer may read."""
    packs = Pack.objects.filter(meeting=meeting).select_related("round")
    return [
        {
            "title": _("会议材料汇编"),
            "url": pack.get_absolute_url(),
            "note": (
                _("%(year)d年度 · 已印发")
                if pack.is_issued
                else _("%(year)d年度 · 草稿")
            )
            % {"year": pack.round.year},
        }
        for pack in packs.order_by("-round__year")
        if may_read_pack(user, pack)
    ]
