"""Topic (议题) actions of the raising unit: withdrawing a topic not yet scheduled.

Kept beside ``meetings.views`` (owned separately); the same rules: objects
through ``meetings.access``, changes through ``meetings.services``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .access import get_topic_for


@require_POST
def topic_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    topic = get_topic_for(request.user, pk, raiser=True)
    try:
        services.topic_withdraw(topic=topic, by=request.user)
    except ValidationError as e:
        messages.error(request, "；".join(e.messages))
    else:
        messages.success(request, _("议题已撤回，办公室不再安排。"))
    return redirect(topic)
