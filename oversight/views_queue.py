"""The approval queue (待办事项) of leaders and the office."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from members.access import require_overseer

from .queue import queue_counts, queue_for

PER_PAGE = 50


@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    require_overseer(request.user)
    items = queue_for(request.user)
    page = Paginator(items, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "oversight/queue.html",
        {"page": page, "items": page.object_list, "counts": queue_counts(items)},
    )


@require_GET
def queue_summary(request: HttpRequest) -> HttpResponse:
    """The home page's card, loaded after the page (htmx) so the home stays
    within its query budget."""
    require_overseer(request.user)
    items = queue_for(request.user)
    return render(
        request,
        "oversight/_queue_summary.html",
        {"items": items[:5], "total": len(items), "counts": queue_counts(items)},
    )
