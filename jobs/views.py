"""A person's jobs (progress, then the file or the page they made) and the
office's outbox."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from jinwei_ip.lib.audit import export_event

from . import services
from .access import get_job_for, get_mail_for, require_office
from .forms import OutboxFilterForm
from .models import Job, Mail

PER_PAGE = 30
HTMX_STOP_POLLING = 286


@require_GET
def job_list(request: HttpRequest) -> HttpResponse:
    qs = Job.objects.of(request.user)
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "jobs/job_list.html", {"page": page})


@require_GET
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_job_for(request.user, pk)
    return render(request, "jobs/job_detail.html", {"job": job})


@require_GET
def job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress block alone, polled by htmx while the job runs; once the job
    has finished the answer is 286, which tells htmx to stop polling."""
    job = get_job_for(request.user, pk)
    return render(
        request,
        "jobs/_progress.html",
        {"job": job},
        status=200 if job.is_active else HTMX_STOP_POLLING,
    )


@require_GET
def job_download(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_job_for(request.user, pk)
    if not job.has_file:
        raise Http404
    try:
        handle = job.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    # the audit log names the output as the inline download did (bulletin_pdf, ...)
    export_event(request, job.kind, job)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=job.filename,
        content_type=job.content_type or "application/octet-stream",
    )


@require_POST
def job_retry(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_job_for(request.user, pk)
    if not job.can_retry:
        messages.info(request, _("这项作业没有失败，无需重试。"))
        return redirect(job)
    services.job_retry(job=job)
    messages.success(request, _("已重新提交，请稍候。"))
    return redirect(job)


@require_GET
def outbox(request: HttpRequest) -> HttpResponse:
    require_office(request.user)
    form = OutboxFilterForm(request.GET or None)
    qs = Mail.objects.select_related("recipient")
    if form.is_valid():
        qs = qs.search(form.cleaned_data["q"])
        if form.cleaned_data["state"]:
            qs = qs.filter(state=form.cleaned_data["state"])
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "jobs/outbox.html",
        {"form": form, "page": page, "figures": services.queue_figures()},
    )


@require_POST
def mail_resend(request: HttpRequest, pk: int) -> HttpResponse:
    mail = get_mail_for(request.user, pk)
    if not mail.can_resend:
        messages.info(request, _("只有发送失败的邮件可以重新发送。"))
    else:
        services.mail_resend(mail=mail)
        messages.success(
            request, _("发给 %(to)s 的邮件已重新排队发送。") % {"to": mail.to}
        )
    return redirect("jobs:outbox")
