"""Carrying a model's content type along when the model moves to another app.

Used by the data migrations that follow a ``SeparateDatabaseAndState`` move (keep
it stable: migrations import it). Renaming the ``django_content_type`` row's
app_label keeps its id, so every row that points at it — auth permissions (and
through them group and user permissions and guardian object permissions), guardian's
generic object-permission rows, admin log entries — keeps pointing at the right
model, and Django's post-migrate step finds the content type and its permissions
already there instead of creating a second set.
"""

from __future__ import annotations

from collections.abc import Iterable


def move_content_types(
    apps, schema_editor, *, old_app: str, new_app: str, models: Iterable[str]
) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    db = schema_editor.connection.alias
    content_types = ContentType.objects.db_manager(db)
    for model in models:
        old = content_types.filter(app_label=old_app, model=model).first()
        if old is None:  # a new database: post_migrate creates it in the new app
            continue
        new = content_types.filter(app_label=new_app, model=model).first()
        if new is not None:
            # The new app's content type was created meanwhile (its post_migrate
            # ran before this migration): point what references it at the old
            # row, whose id the existing grants use, and drop it.
            _merge_into(apps, db, Permission, ContentType, source=new, target=old)
        old.app_label = new_app
        old.save(update_fields=["app_label"])
    ContentType.objects.clear_cache()


def _merge_into(apps, db, Permission, ContentType, *, source, target) -> None:
    permissions = Permission.objects.db_manager(db)
    twins = {
        p.codename: p for p in permissions.filter(content_type=target)
    }  # codename → the permission the old grants use
    for perm in permissions.filter(content_type=source):
        twin = twins.get(perm.codename)
        if twin is None:
            perm.content_type = target
            perm.save(update_fields=["content_type"])
            continue
        _repoint(apps, db, "auth.Permission", perm.pk, twin.pk)
        perm.delete()
    _repoint(apps, db, "contenttypes.ContentType", source.pk, target.pk)
    source.delete()


def _repoint(apps, db, label: str, old_pk: int, new_pk: int) -> None:
    """Every foreign key to ``label`` row ``old_pk`` now points at ``new_pk``; a row
    that would duplicate one already pointing there is dropped."""
    target = apps.get_model(label)
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            if not field.is_relation or field.related_model is not target:
                continue
            rows = model._base_manager.db_manager(db).filter(**{field.attname: old_pk})
            for row in rows:
                others = {
                    f.attname: getattr(row, f.attname)
                    for f in model._meta.concrete_fields
                    if f is not field and not f.primary_key
                }
                duplicate = (
                    model._base_manager.db_manager(db)
                    .filter(**others, **{field.attname: new_pk})
                    .exists()
                )
                if duplicate:
                    row.delete()
                else:
                    setattr(row, field.attname, new_pk)
                    row.save(update_fields=[field.attname])
