"""Workflows of the duties app: the duty clauses of the founding document."""

from __future__ import annotations

from typing import Any

from members.models import Unit

from .models import DutyClause


def duties_load_founding(data: dict[str, Any], units: dict[str, Unit]) -> None:
    """Each unit's duty clauses (职责分工) from the founding document, numbered in
    order; texts update in place, clauses the document no longer has go. Run by
    ``members.services.founding_load`` inside its transaction."""
    for u in data["units"]:
        unit = units[u["code"]]
        clauses = u.get("duties", [])
        for number, clause in enumerate(clauses, start=1):
            DutyClause.objects.update_or_create(
                unit=unit,
                number=number,
                defaults={
                    "text": clause["text"],
                    "category": clause["category"],
                    "is_joint": clause.get("joint", False),
                },
            )
        DutyClause.objects.filter(unit=unit, number__gt=len(clauses)).delete()
