"""The calendar feed (ICS) of the meetings a person may see.

Apps to the right of meetings (campaigns) add their own dates to the same feed
through ``meetings.hooks.calendar_events`` from their ``AppConfig.ready``:
meetings never imports them, it asks each registered source for the events a
person may see.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from jinwei_ip.lib.dates import add_days

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


def _local(moment: datetime) -> datetime:
    """In Shanghai time; in UTC when that would pass the calendar's end (a
    meeting stored at 9999-12-31 must not take everyone's feed down)."""
    try:
        return moment.astimezone(SHANGHAI)
    except OverflowError:
        return moment.astimezone(UTC)


def _event_times(m: Meeting) -> tuple[datetime, datetime]:
    ends = m.ends_at
    if ends is None:
        try:
            ends = m.starts_at + DEFAULT_LENGTH
        except OverflowError:
            ends = m.starts_at
    return _local(m.starts_at), _local(ends)


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
        starts, ends = _event_times(m)
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
        event.add("dtstart", _local(item.start))
        event.add("dtend", _local(item.end))
    else:
        # all-day events: DTEND is the day after the last day
        event.add("dtstart", item.start)
        event.add("dtend", add_days(item.end, 1))
    event.add("summary", item.summary)
    url = site + item.url if item.url.startswith("/") else item.url
    event.add("url", url)
    event.add("description", "\n".join(p for p in (item.description, url) if p))
    event.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
    if item.last_modified:
        event.add("last-modified", item.last_modified)
    return event
