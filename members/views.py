from __future__ import annotations

from operator import attrgetter
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from .access import (
    get_unit_for,
    get_unit_private_for,
    may_view_unit_private,
    require_office,
)
from .forms import PositionAssignForm
from .hooks import group_unit_details, office_page_parts, unit_page_parts
from .models import (
    LeadingGroup,
    Membership,
    Position,
    Provision,
    Unit,
    User,
)
from .services import position_assign


def _group() -> LeadingGroup:
    return get_object_or_404(LeadingGroup.objects.select_related("office_unit"))


def _parts(hook, unit: Unit) -> dict[str, Any]:
    """What the apps registered into a page hook (``members.hooks``) add to it."""
    parts: dict[str, Any] = {}
    for part in hook:
        parts.update(part(unit))
    return parts


def _current_memberships() -> Prefetch:
    return Prefetch(
        "memberships",
        queryset=Membership.objects.current().select_related("person"),
        to_attr="current_memberships",
    )


def group_detail(request: HttpRequest) -> HttpResponse:
    group = _group()
    positions = (
        Position.objects.filter(group=group)
        .select_related("unit")
        .prefetch_related(_current_memberships())
    )
    leaders = [p for p in positions if p.kind != Position.Kind.MEMBER]
    members = [p for p in positions if p.kind == Position.Kind.MEMBER]
    units = list(Unit.objects.members())
    for attach in group_unit_details:  # duties: each unit's clause counts
        attach(units)
    provisions = Provision.objects.filter(group=group)
    return render(
        request,
        "members/group.html",
        {
            "group": group,
            "leaders": leaders,
            "members": members,
            "units": units,
            "tasks": [p for p in provisions if p.kind == Provision.Kind.TASK],
            "rules": [p for p in provisions if p.kind == Provision.Kind.RULE],
            "requirements": [
                p for p in provisions if p.kind == Provision.Kind.REQUIREMENT
            ],
        },
    )


def office_detail(request: HttpRequest) -> HttpResponse:
    group = _group()
    director = (
        Position.objects.filter(group=group, kind=Position.Kind.OFFICE_DIRECTOR)
        .prefetch_related(_current_memberships())
        .first()
    )
    staff = User.objects.filter(role=User.Role.OFFICE, is_active=True).order_by(
        "display_name"
    )
    return render(
        request,
        "members/office.html",
        {
            "group": group,
            "director": director,
            "staff": staff,
            # duties: the office's clause
            **_parts(office_page_parts, group.office_unit),
            "requirements": Provision.objects.filter(
                group=group, kind=Provision.Kind.REQUIREMENT
            ),
        },
    )


def unit_detail(request: HttpRequest, code: str) -> HttpResponse:
    unit = get_unit_for(request.user, code)
    member_position = (
        Position.objects.filter(unit=unit, kind=Position.Kind.MEMBER)
        .prefetch_related(_current_memberships())
        .first()
    )
    return render(
        request,
        "members/unit.html",
        {
            "unit": unit,
            "aliases": unit.aliases.all(),
            # duties: the unit's clauses
            **_parts(unit_page_parts, unit),
            "member_position": member_position,
            "may_view_private": may_view_unit_private(request.user, unit),
        },
    )


def unit_people(request: HttpRequest, code: str) -> HttpResponse:
    unit = get_unit_private_for(request.user, code)
    accounts = unit.accounts.filter(is_active=True).order_by("role", "display_name")
    people = unit.people.prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.select_related("position"))
    )
    return render(
        request,
        "members/unit_people.html",
        {"unit": unit, "accounts": accounts, "people": people},
    )


def position_history(request: HttpRequest, pk: int) -> HttpResponse:
    position = get_object_or_404(Position.objects.select_related("unit"), pk=pk)
    memberships = position.memberships.select_related(
        "person", "person__unit"
    ).order_by("-start_on")
    return render(
        request,
        "members/position_history.html",
        {
            "position": position,
            "memberships": memberships,
            "today": timezone.localdate(),
        },
    )


def _limit_candidates(form: PositionAssignForm, position: Position) -> None:
    """A member unit's seat is held by that unit's 分管负责同志: offer its own
    people only. Every other post lists everyone, by unit. Names alone (27 of
    them, no unit) let the office pick another unit's person for the seat."""
    field = form.fields["person"]
    if position.kind == Position.Kind.MEMBER and position.unit_id:
        field.queryset = field.queryset.filter(unit=position.unit)
    field.label_from_instance = attrgetter("choice_label")


def position_assign_view(request: HttpRequest, pk: int) -> HttpResponse:
    require_office(request.user)
    position = get_object_or_404(Position.objects.select_related("unit"), pk=pk)
    form = PositionAssignForm(request.POST or None)
    _limit_candidates(form, position)
    if request.method == "POST" and form.is_valid():
        try:
            position_assign(position=position, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("任职已变更，原任职记录已保留在历史中。"))
            return redirect("members:position_history", pk=position.pk)
    return render(
        request, "members/position_assign.html", {"position": position, "form": form}
    )
