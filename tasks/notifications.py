"""Telling people about their tasks: in-app notifications and e-mail.

Services call these helpers; mail goes to the outbox (``jobs.services.mail_queue``)
and a worker sends it after the surrounding transaction commits, so a rolled-back
action never sends a message about something that did not happen, and a slow or
broken mail server never holds up the request.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.template.loader import render_to_string

from jobs.services import mail_queue
from members.models import Unit, User

from .models import Notification, Task

UNIT_ROLES = (User.Role.LIAISON, User.Role.UNIT_HEAD)


def unit_people(units: Iterable[Unit], roles: Iterable[str] = UNIT_ROLES) -> list[User]:
    return list(
        User.objects.filter(
            unit__in=list(units), role__in=list(roles), is_active=True
        ).order_by("unit__order", "role", "id")
    )


def office_people() -> list[User]:
    return list(User.objects.filter(role=User.Role.OFFICE, is_active=True))


def absolute(url: str) -> str:
    return settings.SITE_URL + url if url.startswith("/") else url


def notify(
    recipients: Iterable[User],
    *,
    text: str,
    url: str = "",
    subject: str | None = None,
    template: str = "emails/tasks/notice.txt",
    context: dict | None = None,
) -> list[Notification]:
    """An in-app notification for each recipient and, when ``subject`` is given,
    one e-mail each (queued in the outbox, to those with an address)."""
    people = list({u.pk: u for u in recipients}.values())
    notes = Notification.objects.bulk_create(
        [Notification(recipient=u, text=text[:300], url=url) for u in people]
    )
    if subject:
        body_context = {"text": text, "url": absolute(url), **(context or {})}
        for person in people:
            if not person.email:
                continue
            body = render_to_string(template, {**body_context, "person": person})
            mail_queue(to=person.email, subject=subject, body=body, recipient=person)
    return notes


def notify_unit(
    task: Task, units: Iterable[Unit], *, text: str, subject: str | None = None
) -> None:
    notify(
        unit_people(units),
        text=text,
        url=task.get_absolute_url(),
        subject=subject,
        context={"task": task},
    )


def notices_settled(url: str, *, when) -> int:
    """Mark every unread notification pointing at ``url`` read: what they asked
    someone to act on has been acted on (one approver decided for all)."""
    return Notification.objects.filter(url=url, read_at__isnull=True).update(
        read_at=when
    )
