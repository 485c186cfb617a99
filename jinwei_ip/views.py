"""The home page: what each person has to do, composed from every app (the one
page allowed to, with the project's URLs and settings: tests/test_layers.py).

The parts come from the apps' templates (``members/home_*.html`` include the
meetings', tasks' and oversight's partials, whose template tags ask each app).
"""

from __future__ import annotations

from django.db.models import F, Func, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from duties.models import DutyClause
from members.models import LeadingGroup, Membership, Position, Unit, User


def _count(qs) -> Subquery:
    """``qs.count()`` as a subquery, to read it with another row in one query."""
    return Subquery(
        qs.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    )


def home(request: HttpRequest) -> HttpResponse:
    user: User = request.user
    groups = LeadingGroup.objects.select_related("office_unit")
    if user.sees_everything:
        # the roster's two figures come with the group (the home page's query
        # budget, issue 6: the apps' cards need the queries more)
        groups = groups.annotate(
            unit_count=_count(Unit.objects.members()),
            account_count=_count(User.objects.filter(is_active=True).exclude(role="")),
        )
    group = get_object_or_404(groups)
    if user.is_office:
        template = "members/home_office.html"
    elif user.is_leader:
        template = "members/home_leader.html"
    elif user.is_unit_member:
        template = "members/home_unit.html"
    else:
        template = "members/home_other.html"
    context = {"group": group}
    if user.is_unit_member:
        context["unit"] = user.unit
        context["duties"] = DutyClause.objects.filter(unit=user.unit)
    if user.sees_everything:
        context["unit_count"] = group.unit_count
        context["account_count"] = group.account_count
        context["vacant_positions"] = (
            Position.objects.filter(group=group)
            .exclude(memberships__in=Membership.objects.current())
            .select_related("unit")
        )
    return render(request, template, context)
