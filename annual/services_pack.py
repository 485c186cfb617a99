"""Workflows of the meeting pack (会议材料汇编): drafted from the data, the office's
report edited, the PDF rendered and kept (``annual.pack`` lays it out), issued to
the group. The rules of ``annual.services`` hold: keyword-only, atomic, Chinese
``ValidationError``; ``StaleEdit`` for a stale edit."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Unit, User
from notices.services import notify, unit_people

from . import inputs
from .models import Pack, Round
from .services import _claim, _reason


@transaction.atomic
def pack_create(*, round_: Round, by: User) -> Pack:
    """Draft the pack of the round's meeting, its office report written from the
    data (annual.report)."""
    from .report import office_report_draft

    if Pack.objects.filter(round=round_).exists():
        raise ValidationError(_("本次报送的材料汇编已起草。"))
    meeting = round_.meeting
    if meeting is None:
        raise ValidationError(_("请先在报送设置中指定提交会议。"))
    title, text = office_report_draft(round_)
    pack = Pack(
        round=round_,
        meeting=meeting,
        office_report_title=title,
        office_report=text,
        created_by=by,
    )
    _reason(pack, _("起草材料汇编"))
    pack.save()
    return pack


@transaction.atomic
def pack_edit(*, pack: Pack, title: str, text: str, version: int, by: User) -> Pack:
    inputs.pack_input(title=title, text=text)
    pack = _claim(Pack, pack, version)
    if pack.is_issued:
        raise ValidationError(_("材料汇编已印发，不能再修改。"))
    if not title.strip():
        raise ValidationError({"title": _("请填写工作报告标题。")})
    if not text.strip():
        raise ValidationError({"text": _("请填写工作报告正文。")})
    pack.office_report_title = title.strip()
    pack.office_report = text.strip()
    pack.edit_version += 1
    _reason(pack, _("修改工作报告"))
    pack.save()
    return pack


def _pack_source(pack: Pack) -> tuple[str, str]:
    """The pack's HTML and its hash (a handful of queries, no layout)."""
    from .pack import pack_html

    html = pack_html(pack)
    return html, hashlib.sha256(html.encode()).hexdigest()


def _kept_file(pack: Pack, digest: str) -> bytes | None:
    if pack.content_hash != digest or not pack.file:
        return None
    try:
        with pack.file.open("rb") as handle:
            return handle.read()
    except FileNotFoundError:
        return None


def pack_kept_pdf(pack: Pack) -> tuple[bytes | None, str]:
    """The kept PDF when none of the pack's parts changed since it was rendered,
    else None (``pack_pdf`` renders it: the download leaves that to the job
    queue, ``annual.background``); and the hash of the parts' HTML (the content
    a job started now would lay out)."""
    _html, digest = _pack_source(pack)
    return _kept_file(pack, digest), digest


def pack_pdf(pack: Pack, progress: Callable[[int, str], None] | None = None) -> bytes:
    """The pack's PDF: the kept file when it is current, else rendered now and
    kept (so the next download is served at once). ``progress`` hears of the
    layout, the long step (a job's progress bar)."""
    from .pack import render_pack

    html, digest = _pack_source(pack)
    kept = _kept_file(pack, digest)
    if kept is not None:
        return kept
    if progress is not None:
        progress(30, _("排版 PDF"))
    data, pages = render_pack(html)
    with transaction.atomic():
        fresh = Pack.objects.select_for_update().get(pk=pack.pk)
        old = fresh.file.name if fresh.file else ""
        fresh.file.save("pack.pdf", ContentFile(data), save=False)
        fresh.content_hash = digest
        fresh.page_count = pages
        fresh.rendered_at = timezone.now()
        Pack.objects.filter(pk=pack.pk).update(
            file=fresh.file.name,
            content_hash=digest,
            page_count=pages,
            rendered_at=fresh.rendered_at,
        )
        if old and old != fresh.file.name:
            transaction.on_commit(lambda: fresh.file.storage.delete(old))
    pack.file, pack.content_hash, pack.page_count = fresh.file, digest, pages
    pack.rendered_at = fresh.rendered_at
    return data


@transaction.atomic
def pack_issue(*, pack: Pack, by: User) -> Pack:
    """Issue the pack to the group: every unit may then read every submission."""
    pack = _claim(Pack, pack, None)
    if pack.is_issued:
        raise ValidationError(_("材料汇编已印发。"))
    pack.issued_at = timezone.now()
    pack.issued_by = by
    _reason(pack, _("印发材料汇编"))
    pack.save()
    notify(
        unit_people(Unit.objects.members())
        + list(User.objects.filter(role=User.Role.LEADER, is_active=True)),
        text=_("%(pack)s已印发，请会前阅读。") % {"pack": str(pack)},
        url=pack.get_absolute_url(),
        subject=_("【会议材料】%(pack)s") % {"pack": str(pack)},
    )
    return pack
