"""A person's unit, and their account's with it.

``Person.unit`` is where a person works; an account that belongs to a person
(``User.person``) is in that person's unit, and its unit decides its auth group
and so what it may see. The two fields are kept in step here: a person moves
unit only through ``person_unit_change`` (the admin's person form included),
which moves their account through ``account_save``; an account linked to a
person must name the person's unit (``account_unit_refusal``, asked by the
admin's account form).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Person, Unit, User
from .services import account_save


def account_unit_refusal(person: Person | None, unit: Unit | None) -> str | None:
    """Why an account linked to ``person`` cannot be in ``unit`` (None when it can)."""
    if person is None or person.unit_id == (unit.pk if unit else None):
        return None
    return _(
        "账号的所属单位须与对应人员 %(person)s 的单位（%(unit)s）一致；"
        "人员调动请在“人员”中修改其单位，账号随之调整。"
    ) % {"person": person.name, "unit": person.unit.name if person.unit else _("无")}


def person_unit_refusal(person: Person, unit: Unit | None) -> str | None:
    """Why ``person`` cannot move to ``unit`` (None when they can): a liaison's or a
    unit head's account needs a unit."""
    account = User.objects.filter(person=person).first() if person.pk else None
    if account is not None and unit is None and account.is_unit_member:
        return _("%(person)s 的账号（%(username)s）是单位账号，须有所属单位。") % {
            "person": person.name,
            "username": account.username,
        }
    return None


@transaction.atomic
def person_unit_change(*, person: Person, unit: Unit | None) -> Person:
    """Move a person to ``unit``; their account (if any) moves with them and
    changes auth group, so it sees the new unit's work and no longer the old's."""
    refusal = person_unit_refusal(person, unit)
    if refusal:
        raise ValidationError({"unit": refusal})
    person.unit = unit
    person.save()
    account = User.objects.filter(person=person).first()
    if account is not None and account.unit_id != person.unit_id:
        account_save(user=account, role=account.role, unit=unit)
    return person
