"""Personal meeting-calendar subscription: a page with the person's feed address,
the feed itself for calendar clients (no session), and resetting the address.

The session-authenticated one-off download stays ``views.calendar_ics``. The
address's token is made and checked by ``members.models.CalendarFeedKey`` (why it
is derived rather than stored is said there).
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST, require_safe

from jinwei_ip.lib.audit import export_event, log_event
from jinwei_ip.lib.ratelimit import RATES, ratelimit
from members.models import CalendarFeedKey

from .ics import extra_events, meetings_calendar
from .models import Meeting

# Calendar clients poll on their own schedule (Outlook about every 30 min to 3 h,
# phones every 15 min to 1 h); a quarter of an hour in any cache in between keeps a
# moved or cancelled meeting from going unseen for long. "private": the feed is one
# person's, no shared proxy may keep it.
FEED_MAX_AGE = 15 * 60


def feed_url(key: CalendarFeedKey) -> str:
    """The absolute address a calendar client subscribes to.

    Built from SITE_URL like every other link that leaves the portal (mail, the
    feed's own event links): the address is used outside the browser, where the
    host the person happened to browse by may not be the public one."""
    return settings.SITE_URL + reverse("meetings:calendar_feed", args=[key.token])


@require_GET
def calendar_subscribe(request: HttpRequest) -> HttpResponse:
    key = CalendarFeedKey.for_user(request.user)
    site_host = urlsplit(settings.SITE_URL).netloc
    return render(
        request,
        "meetings/calendar_subscribe.html",
        {
            "feed_url": feed_url(key),
            "key": key,
            "site_url": settings.SITE_URL,
            # The office is told when SITE_URL does not name the host in use (a
            # default left in place makes every address point at 127.0.0.1).
            "site_url_mismatch": site_host != request.get_host(),
        },
    )


@require_POST
def calendar_reset(request: HttpRequest) -> HttpResponse:
    CalendarFeedKey.for_user(request.user).reset()
    log_event(request, "calendar_feed_reset")
    messages.success(
        request,
        _("订阅地址已重置，原地址已失效。请在日历软件中删除原订阅，再用新地址订阅。"),
    )
    return redirect("meetings:calendar_subscribe")


@login_not_required
@require_safe
@ratelimit(key="ip", rate=RATES["calendar_feed"], group="calendar_feed")
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The meetings ``Meeting.objects.visible_to`` gives the token's person: the
    same as the session download. A wrong, reset or stale token, or a deactivated
    account: 404 with nothing said. The limit is per address, many people may
    share one behind the intranet's NAT; the token itself cannot be guessed."""
    user = CalendarFeedKey.user_for_token(token)
    if user is None:
        log_event(
            request,
            "calendar_feed_refused",
            level=logging.WARNING,
        )
        raise Http404
    meetings = list(Meeting.objects.visible_to(user).order_by("starts_at"))
    response = HttpResponse(
        meetings_calendar(meetings, extra_events(user)),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = 'inline; filename="meetings.ics"'
    response["Cache-Control"] = f"private, max-age={FEED_MAX_AGE}"
    export_event(
        request,
        "meetings_ics_feed",
        user=user,
        count=len(meetings),
    )
    return response
