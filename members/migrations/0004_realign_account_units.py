"""Accounts whose unit disagrees with their person's, realigned.

Until ``members.people.person_unit_change`` kept them in step, ``Person.unit``
and ``User.unit`` were two fields anyone could change apart (the admin did).
``Person.unit`` is where a person works and is the one the code treats as
authoritative (an account follows its person: ``person_unit_change`` moves the
account, ``account_unit_refusal`` refuses an account naming another unit), so an
account linked to a person takes the person's unit, and its unit group with it
(what ``members.services.account_save`` gives an account: exactly its unit's
group when it is a unit account). The one exception is the state the code
refuses to create: a unit account (联络员, 单位分管负责同志) must have a unit, so a
person of no unit with such an account is put in the account's unit.
"""

from django.db import migrations

UNIT_ROLES = ("liaison", "unit_head")


def _unit_group(Group, unit, db):
    """The unit's auth group, created on first use (``members.grants.unit_group``)."""
    if unit.auth_group_id is None:
        group, _ = Group.objects.using(db).get_or_create(name=f"unit:{unit.code}")
        unit.auth_group = group
        unit.save(update_fields=["auth_group"])
    return unit.auth_group_id


def realign_account_units(apps, schema_editor):
    User = apps.get_model("members", "User")
    Unit = apps.get_model("members", "Unit")
    Group = apps.get_model("auth", "Group")
    db = schema_editor.connection.alias
    unit_groups = list(
        Unit.objects.using(db)
        .exclude(auth_group=None)
        .values_list("auth_group_id", flat=True)
    )
    accounts = (
        User.objects.using(db)
        .filter(person__isnull=False)
        .select_related("person", "person__unit")
        .order_by("pk")
    )
    for account in accounts:
        person = account.person
        if account.unit_id == person.unit_id:
            continue
        if person.unit_id is None and account.role in UNIT_ROLES:
            person.unit_id = account.unit_id
            person.save(update_fields=["unit"])
            continue
        account.unit_id = person.unit_id
        account.save(update_fields=["unit"])
        account.groups.remove(*unit_groups)
        if person.unit is not None and account.role in UNIT_ROLES:
            account.groups.add(_unit_group(Group, person.unit, db))


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("members", "0003_verbose_names"),
    ]

    operations = [
        migrations.RunPython(realign_account_units, migrations.RunPython.noop),
    ]
