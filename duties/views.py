from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from members.models import Unit

from .columns import columns_for
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
    clauses = list(page.object_list)
    columns = columns_for(request.user, clauses)
    for duty in clauses:
        duty.cells = [column.cell(duty) for column in columns]
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
            "columns": columns,
            "clauses": clauses,
        },
    )
