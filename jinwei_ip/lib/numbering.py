"""Document numbers: the next number of the year (〔2026〕第3期, 〔2026〕3号).

Minutes and bulletins are numbered the same way: a model with ``issue_year`` and
``issue_number`` fields and a unique constraint on the pair. Two documents issued
at the same moment both read the same highest number; the second's write then
breaks the constraint and it takes the number after (the constraint, not a lock,
is what keeps numbers unique, on SQLite and PostgreSQL alike).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

ATTEMPTS = 5


def assign_document_number(document: models.Model, *, year: int) -> int:
    """Give the saved ``document`` the next free number of ``year``, written at
    once (inside the caller's transaction) and set on the instance."""
    manager = type(document)._default_manager
    for _attempt in range(ATTEMPTS):
        top = manager.filter(issue_year=year).aggregate(n=Max("issue_number"))["n"]
        number = (top or 0) + 1
        try:
            with transaction.atomic():
                manager.filter(pk=document.pk).update(
                    issue_year=year, issue_number=number
                )
        except IntegrityError:  # another one was issued at the same moment
            continue
        document.issue_year = year
        document.issue_number = number
        return number
    raise ValidationError(_("文号分配冲突，请稍后重试。"))
