"""The queue's jobs (huey tasks): each one only hands a row's id to a service.

Retries are the queue's (``RetryTask`` with a growing delay); what was done is
in the rows. The periodic sweep finds rows whose message a dead worker took with
it, so nothing is lost; each consumer runs the scheduler (``run_huey``), and the
sweep is harmless twice.
"""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task
from huey.exceptions import RetryTask

from . import services


@db_task()
def deliver_mail(mail_id: int) -> str:
    outcome, delay = services.mail_deliver(mail_id=mail_id)
    if outcome == "retry":
        raise RetryTask(delay=delay)
    return outcome


@db_task()
def run_job(job_id: int) -> str:
    return services.job_run(job_id=job_id)


@db_periodic_task(crontab(minute="*"))
def sweep_lost_work() -> dict[str, int]:
    return services.sweep()
