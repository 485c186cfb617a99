"""Telling people things: ``notify()`` is the one way anything in the portal tells a
person something — an in-app notification each and, when there is a subject, one
e-mail each, sent through ``_mail`` (the only place the portal sends mail).

Mail goes to the outbox and a job worker sends it after the surrounding
transaction commits, so a rolled-back action never sends a message about something
that did not happen, and a slow or broken mail server never holds up a request.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.template.loader import render_to_string

from jobs.services import mail_queue
from members.models import Unit, User

from .models import Notification

log = logging.getLogger(__name__)

UNIT_ROLES = (User.Role.LIAISON, User.Role.UNIT_HEAD)
NOTICE_TEMPLATE = "emails/notices/notice.txt"


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


def _mail(subject: str, body: str, person: User) -> None:
    """Into the outbox (``jobs.services.mail_queue``): a worker sends it once the
    surrounding transaction commits, retries while the mail server is down, and
    the office sees its state on the 发件箱 page."""
    mail_queue(to=person.email, subject=subject, body=body, recipient=person)


def notify(
    recipients: Iterable[User],
    *,
    text: str,
    url: str = "",
    subject: str | None = None,
    template: str = NOTICE_TEMPLATE,
    context: dict | None = None,
) -> list[Notification]:
    """An in-app notification for each recipient and, when ``subject`` is given,
    one e-mail each (rendered from ``template``, sent on commit, to those with an
    address)."""
    people = list({u.pk: u for u in recipients}.values())
    notes = Notification.objects.bulk_create(
        [Notification(recipient=u, text=text[:300], url=url) for u in people]
    )
    if subject:
        body_context = {"text": text, "url": absolute(url), **(context or {})}
        for person in people:
            if person.email:
                body = render_to_string(template, {**body_context, "person": person})
                _mail(subject, body, person)
    return notes


def notify_units(
    units: Iterable[Unit],
    *,
    text: str,
    url: str,
    subject: str | None = None,
    context: dict | None = None,
) -> list[Notification]:
    """``notify`` the liaisons and unit heads of ``units``."""
    return notify(
        unit_people(units), text=text, url=url, subject=subject, context=context
    )


def notices_settled(url: str, *, when, recipients: Iterable[User] | None = None) -> int:
    """Mark every unread notification pointing at ``url`` read (only those of
    ``recipients`` when given): what they asked someone to act on has been acted
    on (one approver decided for all), so it no longer shows as pending."""
    notices = Notification.objects.filter(url=url, read_at__isnull=True)
    if recipients is not None:
        notices = notices.filter(recipient__in=list(recipients))
    return notices.update(read_at=when)
