"""Background work: the outbox, export jobs and the sweep that loses nothing.

The rows are the truth and the queue (huey, ``jobs.background``) only delivers
"look at row N". Every step claims its row with one conditional UPDATE before it
works, so a message delivered twice, or re-enqueued by the sweep while the first
delivery is still running, finds the row taken or done and does nothing.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from members.models import User

from . import exports
from .models import Job, Mail

logger = logging.getLogger(__name__)


def worker_name() -> str:
    """Who runs a job (machine and process), for an operator reading a stuck job."""
    return f"{socket.gethostname()}:{os.getpid()}"


# A mail is tried this many times, the waits doubling from MAIL_RETRY_FIRST up to
# MAIL_RETRY_MAX: 30 s, 1, 2, 4, 8, 16, 32 min, then hourly — about seven hours in
# all, so a mail server down for an hour (or a night's maintenance) loses nothing.
MAIL_MAX_ATTEMPTS = 12
MAIL_RETRY_FIRST = 30
MAIL_RETRY_MAX = 3600
# How long one attempt may hold a mail (the SMTP timeout is EMAIL_TIMEOUT).
MAIL_CLAIM = timedelta(seconds=settings.QUEUE_CLAIM_SECONDS)
# A pending row whose message should have run this long ago was lost (a worker
# died, the queue's store was emptied): the sweep enqueues it again.
SWEEP_GRACE = timedelta(seconds=settings.QUEUE_GRACE_SECONDS)
# A running job's lease; the worker renews it at every progress step.
JOB_LEASE = timedelta(seconds=settings.QUEUE_LEASE_SECONDS)
JOB_MAX_ATTEMPTS = 3
# Finished exports are kept this long, then their files are deleted.
JOB_KEEP = timedelta(days=7)


def mail_backoff(attempts: int) -> int:
    """Seconds to wait after the ``attempts``-th failed try."""
    return min(MAIL_RETRY_FIRST * 2 ** max(attempts - 1, 0), MAIL_RETRY_MAX)


def _enqueue_mail(mail_id: int) -> None:
    from .background import deliver_mail

    deliver_mail(mail_id)


def _enqueue_job(job_id: int) -> None:
    from .background import run_job

    run_job(job_id)


# --- the outbox ----------------------------------------------------------------


def mail_queue(
    *, to: str, subject: str, body: str, recipient: User | None = None
) -> Mail:
    """The one way the portal sends an e-mail: a row in the outbox, delivered by
    a worker once the surrounding transaction commits (a rolled-back action sends
    nothing, and the request never waits for the mail server)."""
    mail = Mail.objects.create(
        to=to,
        subject=subject[:300],
        body=body,
        recipient=recipient,
        next_attempt_at=timezone.now(),
    )
    transaction.on_commit(lambda: _enqueue_mail(mail.pk))
    return mail


def mail_deliver(*, mail_id: int) -> tuple[str, int]:
    """One delivery attempt. Returns ("sent" | "retry" | "failed" | "skip", the
    seconds to wait before the next try).

    Exactly once: the mail is claimed (attempts counted) before it is sent and
    marked sent right after the mail server accepted it. A duplicate message
    finds it claimed or sent and skips. What remains: a worker killed in the
    milliseconds between the server's "250 OK" and the UPDATE leaves the mail
    pending; when its claim runs out the sweep sends it again (at most once more).
    """
    now = timezone.now()
    claimed = (
        Mail.objects.filter(pk=mail_id, state=Mail.State.PENDING)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(claimed_until=now + MAIL_CLAIM, attempts=F("attempts") + 1)
    )
    if not claimed:
        return "skip", 0
    mail = Mail.objects.get(pk=mail_id)
    try:
        EmailMessage(
            mail.subject,
            mail.body,
            None,
            [mail.to],
            # which outbox row this is: traces a message back, and lets the
            # two-server rehearsal count every mail's copies (bench/rehearsal.py)
            headers={"X-Jinwei-Mail": str(mail.pk)},
        ).send()
    except Exception as error:  # any failure of the mail server is retried
        message = f"{error.__class__.__name__}: {error}"[:1000]
        logger.warning("Mail %s attempt %s failed: %s", mail.pk, mail.attempts, message)
        if mail.attempts >= MAIL_MAX_ATTEMPTS:
            Mail.objects.filter(pk=mail.pk).update(
                state=Mail.State.FAILED,
                last_error=message,
                claimed_until=None,
                next_attempt_at=None,
            )
            return "failed", 0
        delay = mail_backoff(mail.attempts)
        Mail.objects.filter(pk=mail.pk).update(
            last_error=message,
            claimed_until=None,
            next_attempt_at=timezone.now() + timedelta(seconds=delay),
        )
        return "retry", delay
    Mail.objects.filter(pk=mail.pk).update(
        state=Mail.State.SENT,
        sent_at=timezone.now(),
        claimed_until=None,
        next_attempt_at=None,
    )
    return "sent", 0


def mail_resend(*, mail: Mail) -> Mail:
    """A failed mail goes back to the queue, its attempts counted afresh."""
    Mail.objects.filter(pk=mail.pk, state=Mail.State.FAILED).update(
        state=Mail.State.PENDING,
        attempts=0,
        claimed_until=None,
        next_attempt_at=timezone.now(),
    )
    transaction.on_commit(lambda: _enqueue_mail(mail.pk))
    mail.refresh_from_db()
    return mail


# --- export jobs ---------------------------------------------------------------


def job_start(
    *,
    owner: User,
    kind: str,
    title: str,
    params: dict,
    back_url: str = "",
    reuse: bool = False,
) -> Job:
    """A job for ``owner``, run by a worker after commit. With ``reuse``, the
    owner's job of the same kind and params still waiting or running is returned
    instead of a second one (a person pressing the button again while the file
    is being made)."""
    if kind not in exports.RUNNERS:
        raise ValueError(f"unknown job kind {kind!r}")
    params = {"lang": translation.get_language() or settings.LANGUAGE_CODE, **params}
    if reuse:
        active = (
            Job.objects.of(owner)
            .filter(kind=kind, state__in=[Job.State.PENDING, Job.State.RUNNING])
            .filter(**{f"params__{key}": value for key, value in params.items()})
            .order_by("-pk")
            .first()
        )
        if active is not None:
            return active
    job = Job.objects.create(
        owner=owner,
        kind=kind,
        title=title[:200],
        params=params,
        back_url=back_url[:500],
        enqueued_at=timezone.now(),
    )
    transaction.on_commit(lambda: _enqueue_job(job.pk))
    return job


def job_retry(*, job: Job) -> Job:
    Job.objects.filter(pk=job.pk, state=Job.State.FAILED).update(
        state=Job.State.PENDING,
        progress=0,
        step="",
        error="",
        attempts=0,
        enqueued_at=timezone.now(),
        finished_at=None,
    )
    transaction.on_commit(lambda: _enqueue_job(job.pk))
    job.refresh_from_db()
    return job


def _claim_job(job_id: int, now: datetime) -> bool:
    return bool(
        Job.objects.filter(pk=job_id)
        .filter(
            Q(state=Job.State.PENDING) | Q(state=Job.State.RUNNING, lease_until__lt=now)
        )
        .update(
            state=Job.State.RUNNING,
            worker=worker_name(),
            started_at=now,
            lease_until=now + JOB_LEASE,
            attempts=F("attempts") + 1,
            progress=0,
            step="",
        )
    )


def job_run(*, job_id: int) -> str:
    """Run one job to its end: "done", "failed" or "skip" (taken or finished)."""
    if not _claim_job(job_id, timezone.now()):
        return "skip"
    job = Job.objects.select_related("owner").get(pk=job_id)

    def progress(percent: int, step: str) -> None:
        Job.objects.filter(pk=job.pk, state=Job.State.RUNNING).update(
            progress=max(0, min(int(percent), 99)),
            step=str(step)[:100],
            lease_until=timezone.now() + JOB_LEASE,
        )

    with translation.override(job.params.get("lang") or settings.LANGUAGE_CODE):
        try:
            run = exports.RUNNERS.get(job.kind)
            if run is None:
                raise exports.JobError(_("这类作业已不再提供，请重新发起。"))
            output = run(job, progress)
        except exports.JobError as error:
            return _job_failed(job, str(error))
        except Exception as error:
            logger.exception("Job %s (%s) failed", job.pk, job.kind)
            return _job_failed(
                job,
                _(
                    "生成文件时出错（%(e)s）。可以点击“重试”再试一次；"
                    "如果仍然失败，请联系系统管理员。"
                )
                % {"e": error.__class__.__name__},
            )
    ext = os.path.splitext(output.filename)[1]
    job.file.save(
        f"{job.owner_id}-{uuid.uuid4().hex}{ext}", ContentFile(output.data), save=False
    )
    Job.objects.filter(pk=job.pk).update(
        state=Job.State.DONE,
        progress=100,
        step="",
        file=job.file.name,
        filename=output.filename[:200],
        content_type=output.content_type,
        finished_at=timezone.now(),
        lease_until=None,
    )
    return "done"


def _job_failed(job: Job, message: str) -> str:
    Job.objects.filter(pk=job.pk).update(
        state=Job.State.FAILED,
        error=message,
        finished_at=timezone.now(),
        lease_until=None,
    )
    return "failed"


# --- the sweep -----------------------------------------------------------------


def sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Find the work whose queue message was lost and enqueue it again; fail
    jobs that died too often; delete old export files. Run every minute by the
    queue's scheduler (``jobs.background.sweep_lost_work``)."""
    now = now or timezone.now()
    counts = {"mail": 0, "jobs": 0, "jobs_failed": 0, "files_deleted": 0}
    lost_mail = list(
        Mail.objects.filter(
            state=Mail.State.PENDING, next_attempt_at__lt=now - SWEEP_GRACE
        )
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .values_list("pk", flat=True)[:500]
    )
    for pk in lost_mail:
        Mail.objects.filter(pk=pk).update(next_attempt_at=now)
        _enqueue_mail(pk)
    counts["mail"] = len(lost_mail)

    dead = Job.objects.filter(state=Job.State.RUNNING, lease_until__lt=now)
    counts["jobs_failed"] = dead.filter(attempts__gte=JOB_MAX_ATTEMPTS).update(
        state=Job.State.FAILED,
        error=_(
            "处理过程中断了 %(n)d 次（服务器重启或故障），已停止。可以点击“重试”再试一次。"
        )
        % {"n": JOB_MAX_ATTEMPTS},
        finished_at=now,
        lease_until=None,
    )
    lost_jobs = list(
        Job.objects.filter(
            Q(state=Job.State.RUNNING, lease_until__lt=now)
            | Q(state=Job.State.PENDING, enqueued_at__lt=now - SWEEP_GRACE)
        ).values_list("pk", flat=True)[:200]
    )
    for pk in lost_jobs:
        Job.objects.filter(pk=pk, state=Job.State.PENDING).update(enqueued_at=now)
        _enqueue_job(pk)
    counts["jobs"] = len(lost_jobs)

    for job in Job.objects.filter(finished_at__lt=now - JOB_KEEP).exclude(file=""):
        job.file.delete(save=False)
        counts["files_deleted"] += 1
    Job.objects.filter(finished_at__lt=now - JOB_KEEP).delete()
    if any(counts.values()):
        logger.warning("Sweep: %s", counts)
    return counts


# --- what to watch ----------------------------------------------------------------


def queue_figures() -> dict[str, int | None]:
    """What an operator watches: messages waiting in the queue, mail not yet
    sent or failed, jobs running or failed in the last day. ``queued`` is None
    when the queue's store cannot be reached (itself worth an alarm)."""
    from huey.contrib.djhuey import HUEY

    now = timezone.now()
    try:
        queued = HUEY.pending_count()
        scheduled = HUEY.scheduled_count()
    except Exception:
        logger.exception("Queue store unreachable")
        queued = scheduled = None
    return {
        "queued": queued,
        "scheduled": scheduled,
        "mail_pending": Mail.objects.filter(state=Mail.State.PENDING).count(),
        "mail_failed": Mail.objects.filter(state=Mail.State.FAILED).count(),
        "mail_overdue": Mail.objects.filter(
            state=Mail.State.PENDING, next_attempt_at__lt=now - SWEEP_GRACE
        ).count(),
        "jobs_active": Job.objects.filter(
            state__in=[Job.State.PENDING, Job.State.RUNNING]
        ).count(),
        "jobs_failed": Job.objects.filter(
            state=Job.State.FAILED, finished_at__gte=now - timedelta(days=1)
        ).count(),
    }
