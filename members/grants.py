"""The one place that writes object permissions (django-guardian).

Object permissions are granted to a unit's auth group, never to single people, so
a liaison who changes unit changes what they see by changing groups. Apps call
``set_unit_grants`` from their services when they assign or reassign work, and
``grant_units_from_query`` when they create many objects at once (plan import).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.contrib.auth.models import Group, Permission
from django.db import connections, models, transaction
from django.db.models import F, IntegerField, QuerySet, Value

from .models import Unit


def _permission(perm: str) -> Permission:
    app_label, codename = perm.split(".", 1)
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _group_permission_model(obj: models.Model) -> type[models.Model]:
    """The direct-FK group permission model of obj's class (``<Model>GroupObjectPermission``)."""
    rel = f"{obj._meta.model_name}groupobjectpermission"
    return obj._meta.get_field(rel).related_model


@transaction.atomic
def set_unit_grants(obj: models.Model, grants: Mapping[Unit, Iterable[str]]) -> None:
    """Make the given units' groups hold exactly these permissions on obj.

    ``grants`` maps a unit to the permissions ("app.codename") it holds on obj;
    every grant on obj not listed is removed, so the call is idempotent and a
    reassignment takes away what the former unit had.
    """
    model = _group_permission_model(obj)
    wanted: set[tuple[int, int]] = set()
    perms: dict[str, Permission] = {}
    for unit, perm_names in grants.items():
        group = unit_group(unit)
        for name in perm_names:
            if name not in perms:
                perms[name] = _permission(name)
            wanted.add((group.pk, perms[name].pk))
    existing = set(
        model.objects.filter(content_object=obj).values_list(
            "group_id", "permission_id"
        )
    )
    stale = existing - wanted
    for group_id, permission_id in stale:
        model.objects.filter(
            content_object=obj, group_id=group_id, permission_id=permission_id
        ).delete()
    model.objects.bulk_create(
        [
            model(content_object=obj, group_id=group_id, permission_id=permission_id)
            for group_id, permission_id in wanted - existing
        ]
    )


def grant_units_from_query(
    objects: QuerySet, grants: Mapping[str, Iterable[str]]
) -> int:
    """Write, for every object of ``objects`` at once, what ``set_unit_grants``
    would write for each: ``grants`` maps a lookup from the object to a unit (``"lead_unit"``,
    ``"co_unit_links__unit"``) to the permissions that unit's group gets on it.

    One ``INSERT … SELECT`` per lookup and permission, so no Python object is
    built per row (a 10,000-row plan import writes 50,000 grants). For objects
    holding none of these grants yet (new ones; an existing grant is an
    IntegrityError, nothing is read or removed); an object with no unit through a lookup
    gets nothing from it; units without a group get one first. Returns the
    number of rows written.
    """
    permission_model = _group_permission_model(objects.model)
    perms = _permission_ids({name for names in grants.values() for name in names})
    pairs = {
        lookup: objects.filter(**{f"{lookup}__isnull": False}).order_by()
        for lookup in grants
    }
    in_any = models.Q()
    for lookup, rows in pairs.items():
        in_any |= models.Q(pk__in=rows.values(lookup))
    for unit in Unit.objects.filter(in_any, auth_group__isnull=True):
        unit_group(unit)
    connection = connections[objects.db]
    qn = connection.ops.quote_name
    meta = permission_model._meta
    columns = ", ".join(
        qn(meta.get_field(name).column)
        for name in ("content_object", "group", "permission")
    )
    written = 0
    with connection.cursor() as cursor:
        for lookup, names in grants.items():
            for name in dict.fromkeys(names):
                # annotations only, so the SELECT's columns come in this order
                select, params = (
                    pairs[lookup]
                    .values(
                        grant_object=F("pk"),
                        grant_group=F(f"{lookup}__auth_group"),
                        grant_permission=Value(
                            perms[name], output_field=IntegerField()
                        ),
                    )
                    .query.sql_with_params()
                )
                cursor.execute(
                    f"INSERT INTO {qn(meta.db_table)} ({columns}) {select}", params
                )
                written += cursor.rowcount
    return written


def _permission_ids(names: Iterable[str]) -> dict[str, int]:
    """{"app.codename": permission id} in one query; an unknown name raises."""
    wanted = {tuple(name.split(".", 1)): name for name in names}
    rows = Permission.objects.filter(
        content_type__app_label__in={app for app, _codename in wanted},
        codename__in={codename for _app, codename in wanted},
    ).values_list("content_type__app_label", "codename", "pk")
    found = {
        wanted[(app, codename)]: pk
        for app, codename, pk in rows
        if (app, codename) in wanted
    }
    missing = set(wanted.values()) - set(found)
    if missing:
        raise Permission.DoesNotExist(f"unknown permissions: {sorted(missing)}")
    return found


def unit_group(unit: Unit) -> Group:
    """The auth group of a unit's accounts, created on first use."""
    if unit.auth_group_id is None:
        group, _ = Group.objects.get_or_create(name=f"unit:{unit.code}")
        unit.auth_group = group
        unit.save(update_fields=["auth_group"])
    return unit.auth_group


def grant_unit_access(unit: Unit) -> None:
    """A unit's own accounts see its internal pages (people, contacts, scorecard)."""
    set_unit_grants(unit, {unit: ["members.view_unit_private"]})


# --- campaigns (joint enforcement actions and publicity campaigns) -----------

CAMPAIGN_VIEW = "campaigns.view_campaign"
CAMPAIGN_REPORT = "campaigns.report_campaign"
CAMPAIGN_LEAD = "campaigns.lead_campaign"


def campaign_grants(
    organiser: Unit, participants: Iterable[Unit]
) -> dict[Unit, list[str]]:
    """What a campaign's units hold on it: every participating unit sees and
    reports it; the organising (牵头) unit also leads it (who has not reported,
    reminders, returns), and sees it even when it does not report itself."""
    grants: dict[Unit, list[str]] = {
        unit: [CAMPAIGN_VIEW, CAMPAIGN_REPORT] for unit in participants
    }
    grants.setdefault(organiser, [CAMPAIGN_VIEW]).append(CAMPAIGN_LEAD)
    return grants


def grant_campaign_access(
    campaign: models.Model, *, organiser: Unit, participants: Iterable[Unit]
) -> None:
    """Make the campaign's units hold exactly their grants on it (a unit taken off
    the campaign loses them)."""
    set_unit_grants(campaign, campaign_grants(organiser, list(participants)))


def grant_campaigns_from_query(campaigns: QuerySet) -> int:
    """The same grants for many new campaigns at once (bench seeding): participants
    through ``participant_links__unit``, the organiser through ``organiser``."""
    return grant_units_from_query(
        campaigns,
        {
            "participant_links__unit": [CAMPAIGN_VIEW, CAMPAIGN_REPORT],
            "organiser": [CAMPAIGN_LEAD],
        },
    )
