"""Oversight's work on the job queue (``jobs``): the bulletin PDF, made by a
worker rather than inside the request."""

from __future__ import annotations

from django.utils.translation import gettext as _

from jobs import exports
from jobs.models import Job

# --- bulletins ------------------------------------------------------------------


@exports.runner("bulletin_pdf")
def bulletin_pdf_job(job: Job, progress: exports.Progress) -> exports.Output:
    from . import access, bulletin_pdf

    # asked again as the person: a draft discarded since, or a person moved to
    # another unit, gets no file
    with exports.refused_as(_("这份通报已不存在，或您已无权查看，无法生成 PDF。")):
        bulletin = access.get_bulletin_for(job.owner, job.params["bulletin"])
    progress(20, _("排版 PDF"))
    with exports.cjk_fonts():
        data = bulletin_pdf.render_bulletin(bulletin)
    return exports.Output(data, bulletin_pdf.filename(bulletin), "application/pdf")
