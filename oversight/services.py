"""Bulletin workflows (工作通报): draft from the data, edit, issue, discard — the
only place a bulletin changes. Only the office does any of them.

``bulletin_draft`` freezes the period's figures into ``Bulletin.figures`` and
writes a first narrative from them; ``bulletin_edit`` saves the office's text with
optimistic locking on ``edit_version`` (a stale save is refused and the person
keeps their text); ``bulletin_issue`` takes the next number of the year
(金知领办通〔2026〕3号), freezes the bulletin and tells every member unit's
accounts (in-app and by mail).
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.figures import citation
from campaigns.models import Campaign
from jinwei_ip.lib.forms import StaleEdit
from jinwei_ip.lib.numbering import assign_document_number
from jinwei_ip.lib.text import check_official_texts
from members.models import Unit, User
from notices.services import notify, unit_people

from . import dashboard
from .bulletins import (
    ISSUER,
    bulletin_figures,
    default_title,
    narrative_from,
    number_label,
    period_bounds,
)
from .models import Bulletin


class Frozen(PermissionDenied):
    """The bulletin has been issued; it can no longer change."""


def _require_office(by: User) -> None:
    if not by.is_office:
        raise PermissionDenied(_("只有领导小组办公室可以起草、修改和印发通报。"))


@transaction.atomic
def bulletin_draft(
    *, period: str, year: int, index: int = 1, by: User, day: date | None = None
) -> Bulletin:
    """Draft a bulletin for a period from the data (figures + narrative)."""
    _require_office(by)
    day = day or dashboard.today()
    start, end = period_bounds(period, year, index)
    if start > day:
        raise ValidationError(
            {
                "year": _("通报周期尚未开始（%(start)s 起），不能起草。")
                % {"start": start}
            }
        )
    figures = bulletin_figures(period, start, end, day)
    bulletin = Bulletin(
        period=period,
        period_start=start,
        period_end=end,
        title=default_title(figures["period"]["label"]),
        narrative=narrative_from(figures),
        figures=figures,
        created_by=by,
    )
    bulletin._history_user = by
    bulletin._change_reason = _("依据数据起草")
    bulletin.save()
    return bulletin


def _claim(bulletin: Bulletin, *, version: int | None = None) -> Bulletin:
    """Take the draft for one change (one conditional UPDATE); refuse issued ones
    and, when ``version`` is given, stale ones."""
    qs = Bulletin.objects.filter(pk=bulletin.pk, status=Bulletin.Status.DRAFT)
    if version is not None:
        qs = qs.filter(edit_version=version)
    if not qs.update(edit_version=F("edit_version") + 1):
        fresh = Bulletin.objects.get(pk=bulletin.pk)
        if fresh.status == Bulletin.Status.ISSUED:
            raise Frozen(_("该通报已印发，不能再修改。"))
        raise StaleEdit(
            _(
                "该通报已被他人修改（当前为第 %(v)d 版），您的修改未保存。"
                "您填写的内容已保留在下方，请对照最新内容后再保存。"
            )
            % {"v": fresh.edit_version}
        )
    return Bulletin.objects.select_for_update().get(pk=bulletin.pk)


@transaction.atomic
def bulletin_edit(
    *, bulletin: Bulletin, title: str, narrative: str, version: int, by: User
) -> Bulletin:
    """Save the office's text if nobody saved in between (else ``StaleEdit``)."""
    _require_office(by)
    title, narrative = title.strip(), narrative.strip()
    if not title:
        raise ValidationError({"title": _("请填写标题。")})
    if not narrative:
        raise ValidationError({"narrative": _("请填写正文。")})
    check_official_texts(
        {"title": (_("标题"), title), "narrative": (_("正文"), narrative)}
    )
    bulletin = _claim(bulletin, version=version)
    bulletin.title = title
    bulletin.narrative = narrative
    bulletin._history_user = by
    bulletin._change_reason = _("修改正文")
    bulletin.save()
    return bulletin


@transaction.atomic
def bulletin_issue(
    *, bulletin: Bulletin, by: User, version: int | None = None
) -> Bulletin:
    """Number, freeze and send the bulletin to every member unit's accounts."""
    _require_office(by)
    bulletin = _claim(bulletin, version=version)
    now = timezone.now()
    assign_document_number(bulletin, year=timezone.localdate(now).year)
    bulletin.status = Bulletin.Status.ISSUED
    bulletin.issued_by = by
    bulletin.issued_at = now
    bulletin._history_user = by
    bulletin._change_reason = _("印发")
    bulletin.save()
    label = number_label(bulletin)
    notify(
        unit_people(Unit.objects.members()),
        text=_("领导小组办公室印发通报：%(title)s（%(number)s）")
        % {"title": bulletin.title, "number": label},
        url=bulletin.get_absolute_url(),
        subject=_("【工作通报】%(title)s") % {"title": bulletin.title},
        template="emails/bulletins/issued.txt",
        context={"bulletin": bulletin, "number": label, "issuer": ISSUER},
    )
    return bulletin


@transaction.atomic
def bulletin_discard(*, bulletin: Bulletin, by: User) -> None:
    """Delete a draft that will not be issued (issued ones stay for ever)."""
    _require_office(by)
    bulletin = _claim(bulletin)
    bulletin.delete()


@transaction.atomic
def bulletin_cite_campaigns(
    *, bulletin: Bulletin, campaigns: list[Campaign], version: int, by: User
) -> Bulletin:
    """The bulletin cites these campaigns' figures: a snapshot of each (per unit
    and in total) in ``figures["campaigns"]``, frozen with the rest on issue."""
    _require_office(by)
    bulletin = _claim(bulletin, version=version)
    figures = dict(bulletin.figures or {})
    figures["campaigns"] = [citation(c) for c in campaigns]
    bulletin.figures = figures
    bulletin._history_user = by
    bulletin._change_reason = _("引用专项行动数据")
    bulletin.save()
    return bulletin
