"""Telling people about their tasks: in-app notifications and e-mail.

Services call these helpers; mail goes out after the surrounding transaction
commits, so a rolled-back action never sends a message about something that did
not happen.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from members.models import Unit, User

from .models import Notification, Task

log = logging.getLogger(__name__)

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
    one e-mail each (sent on commit, to those with an address)."""
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
            transaction.on_commit(
                lambda p=person, b=body: _send_or_record(subject, b, p, url)
            )
    return notes


def _send_or_record(subject: str, body: str, person: User, url: str) -> bool:
    """Send one mail after the change it tells of was committed. A mail server
    that is down or refuses must not turn that committed change into a server
    error (a retry would do it twice): the failure is logged and the office is
    told in the portal, so someone can tell the person another way."""
    try:
        send_mail(subject, body, None, [person.email], fail_silently=False)
    except Exception:
        log.exception("mail to %s failed: %s", person.email, subject)
        name = person.display_name or person.get_username()
        text = _(
            "邮件未能发出：给 %(name)s（%(email)s）的“%(subject)s”。站内通知已送达，请另行告知。"
        ) % {
            "name": name,
            "email": person.email,
            "subject": subject,
        }
        try:
            Notification.objects.bulk_create(
                [
                    Notification(recipient=u, text=text[:300], url=url)
                    for u in office_people()
                ]
            )
        except Exception:
            log.exception("could not record the mail failure")
        return False
    return True


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
