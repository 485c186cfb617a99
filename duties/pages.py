"""What duties shows on the members pages (registered into ``members.hooks`` from
``DutiesConfig.ready``): each unit's clauses, and their counts on the group page."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from members.models import Unit

from .models import DutyClause


def attach_duty_counts(units: list[Unit]) -> None:
    """``unit.duty_count`` and ``unit.joint_count`` for each unit, in one query."""
    counts = {
        row["unit"]: row
        for row in DutyClause.objects.filter(unit__in=units)
        .values("unit")
        .annotate(n=Count("pk"), joint=Count("pk", filter=Q(is_joint=True)))
        .order_by()
    }
    for unit in units:
        row = counts.get(unit.pk, {})
        unit.duty_count = row.get("n", 0)
        unit.joint_count = row.get("joint", 0)


def office_duties(office_unit: Unit) -> dict[str, Any]:
    """The office's duty as the founding document states it (its first clause)."""
    return {"office_duties": DutyClause.objects.filter(unit=office_unit, number=1)}


def unit_duties(unit: Unit) -> dict[str, Any]:
    return {"duties": DutyClause.objects.filter(unit=unit)}
