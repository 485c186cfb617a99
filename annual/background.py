"""The annual app's work on the job queue (``jobs``): the meeting pack's PDF,
laid out by a worker rather than inside the request, and kept on the pack
(``Pack.file``) so the next download is served at once."""

from __future__ import annotations

from django.utils.translation import gettext as _

from jobs import exports
from jobs.models import Job


def pack_job_title(pack) -> str:
    return _("%(pack)s（PDF）") % {"pack": str(pack)}


@exports.runner("annual_pack_pdf")
def pack_pdf_job(job: Job, progress: exports.Progress) -> exports.Output:
    from . import access, services_pack
    from .pack import pack_filename

    # asked again as the person: a pack deleted since, or a person who left the
    # office or the unit, gets no file
    with exports.refused_as(
        _("这份会议材料汇编已不存在，或您已无权查看，无法生成 PDF。")
    ):
        pack = access.get_pack_for(job.owner, job.params["round"])
    progress(10, _("整理会议材料"))
    with exports.cjk_fonts():
        data = services_pack.pack_pdf(pack, progress)
    return exports.Output(data, pack_filename(pack), "application/pdf")
