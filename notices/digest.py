"""The daily digest (run by cron through ``manage.py send_reminders``): one message
per person per day gathering what every app has for them, and nothing for a
person with nothing due.

notices does not know what "due" means: the apps that own the work register a
provider (from their ``AppConfig.ready``) that says, for a day, who should hear
about what. The digest adds the parts up per person, sends them through
``notify()`` and logs the send, so a second run on the same day sends nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from jinwei_ip.lib.hooks import Hook
from members.models import User

from .models import ReminderLog
from .services import notify

DIGEST_TEMPLATE = "emails/notices/digest.txt"


@dataclass(frozen=True)
class DigestPart:
    """What one app has for one person on one day.

    ``counts`` are (label, number) pairs in the order they are told (逾期 2 …);
    ``body`` is the app's section of the mail, already rendered; ``url`` the page
    that lists it."""

    counts: tuple[tuple[str, int], ...]
    url: str
    body: str

    @property
    def total(self) -> int:
        return sum(n for _label, n in self.counts)

    @property
    def summary(self) -> str:
        """逾期 2 项、待签收 1 项 (the parts with nothing left out)."""
        return "、".join(
            _("%(label)s %(n)d 项") % {"label": label, "n": n}
            for label, n in self.counts
            if n
        )


# (day) → (person, their part) pairs, one provider per app that owns work
Provider = Callable[[date], Iterable[tuple[User, DigestPart]]]
providers: Hook[Provider] = Hook("notices.digest.providers")


def digests(day: date) -> list[tuple[User, list[DigestPart]]]:
    """Every person with something on ``day`` and their parts, in the order the
    providers name them."""
    people: dict[int, tuple[User, list[DigestPart]]] = {}
    for provider in providers:
        for person, part in provider(day):
            if part.total:
                people.setdefault(person.pk, (person, []))[1].append(part)
    return list(people.values())


def digests_send(
    *, day: date, dry_run: bool = False
) -> list[tuple[User, list[DigestPart]]]:
    """One digest per person per day (in-app and mail, through ``notify``). A person
    already reminded on ``day`` (ReminderLog) is skipped, so running twice sends
    nothing twice."""
    done = set(
        ReminderLog.objects.filter(day=day).values_list("recipient_id", flat=True)
    )
    sent = []
    for person, parts in digests(day):
        if person.pk in done:
            continue
        sent.append((person, parts))
        if dry_run:
            continue
        summary = "；".join(part.summary for part in parts)
        with transaction.atomic():
            ReminderLog.objects.create(
                recipient=person, day=day, task_count=sum(p.total for p in parts)
            )
            notify(
                [person],
                text=_("督办提醒（%(d)s）：%(s)s")
                % {"d": day.isoformat(), "s": summary},
                url=parts[0].url,
                subject=_("【督办提醒】%(d)s：%(s)s")
                % {"d": day.isoformat(), "s": summary},
                template=DIGEST_TEMPLATE,
                context={"day": day, "parts": parts},
            )
    return sent
