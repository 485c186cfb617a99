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
    from django.http import Http404

    from jinwei_ip.lib.pdf import CJKFontsMissing

    from . import access, services_pack
    from .pack import pack_filename

    try:
        # asked again as the person: a pack deleted since, or a person who left
        # the office or the unit, gets no file
        pack = access.get_pack_for(job.owner, job.params["round"])
    except Http404 as error:
        raise exports.JobError(
            _("这份会议材料汇编已不存在，或您已无权查看，无法生成 PDF。")
        ) from error
    progress(10, _("整理会议材料"))
    try:
        data = services_pack.pack_pdf(pack, progress)
    except CJKFontsMissing as error:
        raise exports.fonts_missing() from error
    return exports.Output(data, pack_filename(pack), "application/pdf")
