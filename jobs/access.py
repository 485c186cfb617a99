"""Who may see what here: the one access helper of the jobs app.

A job and its file belong to the person who asked for it: anyone else gets 404
(even the office: an export carries the asker's view of the data). The outbox is
the office's.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from members.access import require_office
from members.models import User

from .models import Job, Mail


def get_job_for(user: User, pk: int) -> Job:
    return get_object_or_404(Job.objects.of(user), pk=pk)


def get_mail_for(user: User, pk: int) -> Mail:
    require_office(user)
    return get_object_or_404(Mail, pk=pk)


__all__ = ["get_job_for", "get_mail_for", "require_office"]
