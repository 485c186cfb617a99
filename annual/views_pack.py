"""Pages of the meeting pack (会议材料汇编): drafted by the office, its report
edited, its PDF (kept, or laid out by the job worker: ``annual.background``),
issued to the group."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from jinwei_ip.lib.audit import export_event
from jinwei_ip.lib.ratelimit import limited

from . import services, services_pack
from .access import get_pack_for, get_round_for
from .forms import PackEditForm
from .models import Submission
from .pack import pack_filename
from .views import _error_text, _form_errors

S = Submission.Status


@require_POST
def pack_create(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_round_for(request.user, pk, office=True)
    try:
        pack = services_pack.pack_create(round_=round_, by=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect(round_)
    messages.success(request, _("已起草材料汇编，请核改办公室工作报告。"))
    return redirect(pack)


def pack_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    pack = get_pack_for(user, pk)
    form = None
    stale = False
    if user.is_office and not pack.is_issued:
        form = PackEditForm(
            request.POST or None,
            initial={
                "title": pack.office_report_title,
                "text": pack.office_report,
                "version": pack.edit_version,
            },
        )
        if request.method == "POST" and form.is_valid():
            try:
                services_pack.pack_edit(pack=pack, by=user, **form.cleaned_data)
            except services.StaleEdit as error:
                stale = True
                pack.refresh_from_db()
                fresh = request.POST.copy()
                fresh["version"] = str(pack.edit_version)
                form = PackEditForm(fresh)
                form.is_valid()
                form.add_error(None, error)
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(request, _("工作报告已保存。"))
                return redirect(pack)
    elif request.method == "POST":
        raise PermissionDenied
    submitted = pack.round.submissions.filter(status=S.SUBMITTED).count()
    return render(
        request,
        "annual/pack_detail.html",
        {
            "pack": pack,
            "round": pack.round,
            "form": form,
            "stale": stale,
            "submitted": submitted,
            "unit_count": pack.round.submissions.count(),
        },
    )


@limited("pdf")
@require_GET
def pack_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The kept PDF at once when it is current; else the job worker lays it out
    (``annual.background``) and the person waits on the job's progress page (the
    job they already started for this pack's content, if it is still running)."""
    from jobs.services import job_start

    from .background import pack_job_title

    pack = get_pack_for(request.user, pk)
    data, digest = services_pack.pack_kept_pdf(pack)
    if data is None:
        # pressed again while the job runs: the same job, as long as it lays out
        # the same content (the parts' hash); after an edit, a new one
        job = job_start(
            owner=request.user,
            kind="annual_pack_pdf",
            title=pack_job_title(pack),
            params={"round": pack.round_id, "content": digest},
            back_url=pack.get_absolute_url(),
            key=f"pack-{pack.round_id}-{digest[:40]}",
        )
        return redirect(job)
    export_event(request, "annual_pack_pdf", pack)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="pack-{pack.round_id}.pdf"; '
        f"filename*=UTF-8''{quote(pack_filename(pack))}"
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def pack_issue(request: HttpRequest, pk: int) -> HttpResponse:
    pack = get_pack_for(request.user, pk, office=True)
    try:
        services_pack.pack_issue(pack=pack, by=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request, _("材料汇编已印发，各成员单位现在可以阅读全部报送材料。")
        )
    return redirect(pack)
