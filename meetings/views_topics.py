"""Agenda and topic (议题) pages: the office puts topics on a meeting's agenda,
orders, unschedules or declines them; units raise and withdraw their topics.

The same rules as ``meetings.views``: objects through ``meetings.access``,
changes through ``meetings.services``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from jinwei_ip.lib.forms import error_text

from . import services
from .access import get_meeting_for, get_topic_for, may_raise_topic, require_topic_user
from .forms import AgendaAddForm, ReasonForm, TopicForm
from .models import Meeting, Topic
from .views import PER_PAGE, form_errors


@require_POST
def agenda_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for(request.user, pk, office=True)
    form = AgendaAddForm(request.POST)
    if form.is_valid():
        try:
            services.topic_schedule(
                topic=form.cleaned_data["topic"],
                meeting=meeting,
                presenter=form.cleaned_data["presenter"],
                by=request.user,
            )
        except ValidationError as e:
            messages.error(request, error_text(e))
        else:
            messages.success(request, _("议题已列入议程。"))
    else:
        messages.error(
            request,
            "；".join(
                f"{form.fields[n].label}：{e[0]}" for n, e in form.errors.items()
            ),
        )
    return redirect(meeting.get_absolute_url() + "#agenda")


@require_POST
def topic_move(request: HttpRequest, pk: int) -> HttpResponse:
    topic = get_topic_for(request.user, pk, office=True)
    try:
        services.topic_move(
            topic=topic, up=request.POST.get("direction") == "up", by=request.user
        )
    except ValidationError as e:
        messages.error(request, error_text(e))
    return redirect(
        topic.meeting.get_absolute_url() + "#agenda" if topic.meeting_id else topic
    )


@require_POST
def topic_unschedule(request: HttpRequest, pk: int) -> HttpResponse:
    topic = get_topic_for(request.user, pk, office=True)
    meeting = topic.meeting
    try:
        services.topic_unschedule(topic=topic, by=request.user)
    except ValidationError as e:
        messages.error(request, error_text(e))
    else:
        messages.success(request, _("议题已移出议程，回到待安排列表。"))
    return redirect(meeting.get_absolute_url() + "#agenda" if meeting else topic)


@require_POST
def topic_decline(request: HttpRequest, pk: int) -> HttpResponse:
    topic = get_topic_for(request.user, pk, office=True)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.topic_decline(
                topic=topic, reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as e:
            messages.error(request, error_text(e))
        else:
            messages.success(request, _("议题已标记为暂不列入。"))
    else:
        messages.error(request, _("请写明暂不列入的理由。"))
    return redirect(topic)


@require_GET
def topic_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    require_topic_user(user)
    qs = (
        Topic.objects.visible_to(user)
        .select_related("raised_by_unit", "meeting")
        .prefetch_related("related_units")
    )
    side = request.GET.get("side", "") if not user.sees_everything else ""
    if side == "raised":
        qs = qs.filter(raised_by_unit_id=user.unit_id)
    elif side == "asked":
        qs = qs.exclude(raised_by_unit_id=user.unit_id)
    else:
        side = ""
    status = request.GET.get("status", "")
    if status in Topic.Status.values:
        qs = qs.filter(status=status)
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(description__icontains=q))
    page = Paginator(qs.order_by("-created_at", "-pk"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "meetings/topic_list.html",
        {
            "page": page,
            "topics": page.object_list,
            "statuses": Topic.Status.choices,
            "status": status,
            "side": side,
            "q": q,
            "may_raise": may_raise_topic(user),
        },
    )


def topic_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not may_raise_topic(user):
        raise PermissionDenied
    form = TopicForm(
        request.POST or None,
        office=user.is_office,
        unit=None if user.is_office else user.unit,
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        unit = d["unit"] if user.is_office else user.unit
        try:
            topic = services.topic_raise(
                unit=unit,
                by=user,
                title=d["title"],
                description=d["description"],
                related_units=d["related_units"],
            )
        except ValidationError as e:
            form_errors(form, e)
        else:
            messages.success(
                request, _("议题已提交领导小组办公室，办公室会安排列入会议议程。")
            )
            return redirect(topic)
    return render(request, "meetings/topic_form.html", {"form": form})


@require_GET
def topic_detail(request: HttpRequest, pk: int) -> HttpResponse:
    topic = get_topic_for(request.user, pk)
    return render(
        request,
        "meetings/topic_detail.html",
        {
            "topic": topic,
            "related_units": list(topic.related_units.all()),
            "decline_form": ReasonForm(label=_("暂不列入的理由"))
            if request.user.is_office and topic.is_open
            else None,
            "meeting_visible": topic.meeting_id
            and Meeting.objects.visible_to(request.user)
            .filter(pk=topic.meeting_id)
            .exists(),
        },
    )


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
