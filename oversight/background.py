"""Oversight's work on the job queue (``jobs``): the bulletin PDF, made by a
worker rather than inside the request."""

from __future__ import annotations

from django.utils.translation import gettext as _

from jobs import exports
from jobs.models import Job

# --- bulletins ------------------------------------------------------------------


@exports.runner("bulletin_pdf")
def bulletin_pdf_job(job: Job, progress: exports.Progress) -> exports.Output:
    from django.http import Http404

    from jinwei_ip.lib.pdf import CJKFontsMissing

    from . import access, bulletin_pdf

    try:
        # asked again as the person: a draft discarded since, or a person moved
        # to another unit, gets no file
        bulletin = access.get_bulletin_for(job.owner, job.params["bulletin"])
    except Http404 as error:
        raise exports.JobError(
            _("这份通报已不存在，或您已无权查看，无法生成 PDF。")
        ) from error
    progress(20, _("排版 PDF"))
    try:
        data = bulletin_pdf.render_bulletin(bulletin)
    except CJKFontsMissing as error:
        raise exports.fonts_missing() from error
    return exports.Output(data, bulletin_pdf.filename(bulletin), "application/pdf")
