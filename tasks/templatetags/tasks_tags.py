"""Template helpers of the tasks app: lights, status badges, the unit inbox."""

from __future__ import annotations

from datetime import timedelta

from django import template
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.html import format_html

from tasks.models import CoUnit, Task

register = template.Library()

STATUS_CLASS = {
    Task.Status.ASSIGNED: "text-bg-primary",
    Task.Status.SIGNED: "text-bg-info",
    Task.Status.IN_PROGRESS: "text-bg-secondary",
    Task.Status.RETURNED: "text-bg-danger",
    Task.Status.CLOSURE_REQUESTED: "text-bg-warning",
    Task.Status.CLOSED: "text-bg-light",
}


@register.simple_tag
def light(task: Task, label: bool = True) -> str:
    value = task.light
    text = str(Task.Light(value).label)
    if label:
        return format_html(
            '<span class="nowrap"><span class="light light-{}" aria-hidden="true"></span>{}</span>',
            value,
            text,
        )
    return format_html(
        '<span class="light light-{}" title="{}" role="img" aria-label="{}"></span>',
        value,
        text,
        text,
    )


@register.simple_tag
def status_badge(task: Task) -> str:
    return format_html(
        '<span class="badge badge-status {}">{}</span>',
        STATUS_CLASS.get(task.status, "text-bg-light"),
        task.get_status_display(),
    )


INBOX_FIELDS = ("code", "title", "status", "due_on", "lead_unit_id", "return_reason")


@register.simple_tag(takes_context=True)
def unit_inbox(context) -> dict:
    """A liaison's or unit head's home: their unit's open tasks by light, what needs
    signing, what is due this week, what was returned."""
    user = context["request"].user
    if not user.is_unit_member:
        return {}
    today = timezone.localdate()
    week_end = today + timedelta(days=6 - today.weekday())
    # Only the columns the inbox shows: a unit may have hundreds of open tasks,
    # and their descriptions and co-units are on the task pages.
    unit_id = user.unit_id
    tasks = list(
        Task.objects.visible_to(user)
        .open()
        .with_light(today)
        .only(*INBOX_FIELDS)
        # co-unit parts not yet acknowledged (确认收到), the co-unit's own first
        # step: asked in the same query (a separate one read every unacknowledged
        # link of the unit, closed tasks' included, on every home page)
        .annotate(
            unacknowledged=Exists(
                CoUnit.objects.filter(
                    task=OuterRef("pk"), unit_id=unit_id, acknowledged_at__isnull=True
                )
            )
        )
        .by_urgency()
    )
    for task in tasks:
        task.is_lead_here = task.lead_unit_id == unit_id
    by_light = {
        key: [t for t in tasks if t.light == key]
        for key in (Task.Light.RED, Task.Light.YELLOW, Task.Light.GREEN)
    }
    to_sign = [t for t in tasks if t.is_lead_here and t.status == Task.Status.ASSIGNED]
    to_acknowledge = [t for t in tasks if not t.is_lead_here and t.unacknowledged]
    return {
        "tasks": tasks,
        "by_light": by_light,
        "red": by_light[Task.Light.RED],
        "yellow": by_light[Task.Light.YELLOW],
        "green": by_light[Task.Light.GREEN],
        "to_sign": to_sign,
        "to_acknowledge": to_acknowledge,
        # the 待签收 figure: to sign as lead and to acknowledge as co-unit
        "to_receive_count": len(to_sign) + len(to_acknowledge),
        "due_this_week": [t for t in tasks if today <= t.due_on <= week_end],
        "returned": [
            t for t in tasks if t.is_lead_here and t.status == Task.Status.RETURNED
        ],
        "week_end": week_end,
    }
