"""The campaigns app's work on the job queue (``jobs``): the campaign summary's
PDF, laid out by a worker rather than inside the request."""

from __future__ import annotations

from django.utils.translation import gettext as _

from jobs import exports
from jobs.models import Job


@exports.runner("campaign_summary_pdf")
def campaign_summary_pdf(job: Job, progress: exports.Progress) -> exports.Output:
    from . import pdf
    from .access import get_campaign_for

    # asked again as the person: a campaign deleted since, or a person moved to
    # a unit outside it, gets no file
    with exports.refused_as(_("这项活动已不存在，或您已无权查看，无法生成总结 PDF。")):
        campaign = get_campaign_for(job.owner, job.params["campaign"])
    progress(20, _("排版 PDF"))
    with exports.cjk_fonts(_("活动数据 Excel 仍可导出。")):
        data = pdf.render_summary(campaign)
    return exports.Output(data, pdf.filename(campaign), "application/pdf")
