from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from members.models import Unit
from tasks import dashboard

from .models import DutyCategory, DutyClause


def catalogue(request: HttpRequest) -> HttpResponse:
    clauses = DutyClause.objects.select_related("unit")
    unit_code = request.GET.get("unit", "")
    category = request.GET.get("category", "")
    query = request.GET.get("q", "").strip()
    joint = request.GET.get("joint") == "1"
    if unit_code:
        clauses = clauses.filter(unit__code=unit_code)
    if category in DutyCategory.values:
        clauses = clauses.filter(category=category)
    if joint:
        clauses = clauses.filter(is_joint=True)
    if query:
        clauses = clauses.filter(
            Q(text__icontains=query) | Q(unit__name__icontains=query)
        )
    page = Paginator(clauses, 50).get_page(request.GET.get("page"))
    year = dashboard.today().year
    overseer = request.user.is_authenticated and request.user.sees_everything
    if overseer:
        # The office and the leaders see how many of this year's tasks rest on
        # each clause, linked to them (units do not see other units' work).
        counts = dashboard.duty_task_counts(list(page.object_list), year)
        for duty in page.object_list:
            duty.task_count = counts.get(duty.pk, 0)
    return render(
        request,
        "duties/catalogue.html",
        {
            "page": page,
            "units": Unit.objects.members(),
            "categories": DutyCategory.choices,
            "selected_unit": unit_code,
            "selected_category": category,
            "query": query,
            "joint": joint,
            "total": page.paginator.count,
            "show_tasks": overseer,
            "year": year,
        },
    )
