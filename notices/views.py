"""The notification list (the bell's page): a person sees only their own."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .models import Notification

PER_PAGE = 30


@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    qs = Notification.objects.filter(recipient=request.user)
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "notices/notification_list.html",
        {"page": page, "unread": qs.filter(read_at__isnull=True).count()},
    )


@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    note = get_object_or_404(Notification, pk=pk, recipient=request.user)
    if note.read_at is None:
        note.read_at = timezone.now()
        note.save(update_fields=["read_at"])
    if request.POST.get("go") and note.url.startswith("/"):
        return redirect(note.url)
    return _notifications_page(request)


def _notifications_page(request: HttpRequest) -> HttpResponse:
    """Back to the page of the list the person was on (marking one notice read on
    page 3 used to jump to page 1)."""
    url = reverse("notices:list")
    page = request.POST.get("page", "")
    if page.isdigit() and int(page) > 1:
        url += f"?page={int(page)}"
    return redirect(url)


@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    n = Notification.objects.filter(
        recipient=request.user, read_at__isnull=True
    ).update(read_at=timezone.now())
    messages.success(request, _("已将 %(n)d 条通知标为已读。") % {"n": n})
    return redirect("notices:list")
