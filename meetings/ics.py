"""The calendar feed (ICS) of the meetings a person may see.

Apps to the right of meetings (campaigns) add their own dates to the same feed
through ``meetings.hooks.calendar_events`` from their ``AppConfig.ready``:
meetings never imports them, it asks each registered source for the events a
person may see.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from .models import Meeting

SHANGHAI = ZoneInfo("Asia/Shanghai")
DEFAULT_LENGTH = timedelta(hours=2)


@dataclass(frozen=True)
class FeedEvent:
    """An event another app adds to the feed: all-day when ``start`` is a date
    (``end`` then the last day, inclusive)."""

    uid: str
    summary: str
    start: date | datetime
    end: date | datetime
    url: str
    description: str = ""
    cancelled: bool = False
    last_modified: datetime | None = None


def extra_events(user) -> list[FeedEvent]:
    """The events every app registered in ``hooks.calendar_events`` adds for ``user``."""
    from .hooks import calendar_events

    return [event for source in calendar_events for event in source(user)]


def meetings_calendar(
    meetings: Iterable[Meeting], extra: Iterable[FeedEvent] = ()
) -> bytes:
    site = getattr(settings, "SITE_URL", "http://127.0.0.1:8000").rstrip("/")
    host = site.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "localhost"
    cal = Calendar()
    cal.add("prodid", "-//jinwei_ip//金台区知识产权工作协调领导小组//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "领导小组会议")
    cal.add("x-wr-timezone", "Asia/Shanghai")
    for m in meetings:
        starts = m.starts_at.astimezone(SHANGHAI)
        ends = (m.ends_at or m.starts_at + DEFAULT_LENGTH).astimezone(SHANGHAI)
        event = Event()
        event.add("uid", f"meeting-{m.pk}@{host}")
        event.add("dtstamp", timezone.now())
        event.add("dtstart", starts)
        event.add("dtend", ends)
        summary = f"{m.title}（{m.get_kind_display()}）"
        if m.status == Meeting.Status.CANCELLED:
            # Many clients show a cancelled event like any other: say it in the title.
            summary = f"【已取消】{summary}"
        event.add("summary", summary)
        event.add("location", m.place)
        url = site + m.get_absolute_url()
        event.add("url", url)
        description = [m.subject] if m.subject else []
        description.append(url)
        event.add("description", "\n".join(description))
        # A planned meeting is scheduled and notified: CONFIRMED, not TENTATIVE
        # (which calendar clients show as 暂定 / "maybe").
        event.add(
            "status",
            "CANCELLED" if m.status == Meeting.Status.CANCELLED else "CONFIRMED",
        )
        event.add("last-modified", m.updated_at)
        cal.add_component(event)
    for item in extra:
        cal.add_component(_extra_event(item, host, site))
    cal.add_missing_timezones()
    return cal.to_ical()


def _extra_event(item: FeedEvent, host: str, site: str) -> Event:
    event = Event()
    event.add("uid", f"{item.uid}@{host}")
    event.add("dtstamp", timezone.now())
    if isinstance(item.start, datetime):
        event.add("dtstart", item.start.astimezone(SHANGHAI))
        event.add("dtend", item.end.astimezone(SHANGHAI))
    else:
        # all-day events: DTEND is the day after the last day
        event.add("dtstart", item.start)
        event.add("dtend", item.end + timedelta(days=1))
    event.add("summary", item.summary)
    url = site + item.url if item.url.startswith("/") else item.url
    event.add("url", url)
    event.add("description", "\n".join(p for p in (item.description, url) if p))
    event.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
    if item.last_modified:
        event.add("last-modified", item.last_modified)
    return event
