"""A database migrated and filled before notices and oversight existed migrates
forward with every row and every permission kept.

Notification and ReminderLog moved from tasks to notices, Bulletin (and its
history) to oversight, with their tables (state-only migrations) and their content
types (renamed, so the permission rows and whatever was granted with them keep
their ids). The test builds a scratch database at the migrations of the commit
before the move, fills it as that code would, migrates it forward and runs what
``manage.py migrate`` runs after (post_migrate: content types, permissions), then
reads everything back. It runs on the suite's database engine (SQLite, or
PostgreSQL with DATABASE_URL: a scratch database beside the test database).
"""

from __future__ import annotations

import copy
import uuid
from datetime import date

import pytest
from django.core.management.sql import emit_post_migrate_signal
from django.db import connections
from django.db.migrations.executor import MigrationExecutor

# The leaf migrations of our apps at the commit before the move (third-party apps
# are taken at their leaves: they did not change).
BEFORE = {
    "members": "0003_verbose_names",
    "duties": "0002_initial",
    "meetings": "0007_verbose_names",
    "tasks": "0004_event_kind_acknowledged",
}
NEW_APPS = {"notices", "oversight", "bench"}
MOVED = {
    ("tasks", "notification"): ("notices", "notification"),
    ("tasks", "reminderlog"): ("notices", "reminderlog"),
    ("tasks", "bulletin"): ("oversight", "bulletin"),
    ("tasks", "historicalbulletin"): ("oversight", "historicalbulletin"),
}
ALIAS = "model_moves"


@pytest.fixture
def scratch(django_db_blocker, tmp_path, monkeypatch):
    """A database of its own (not the suite's), dropped afterwards."""
    # Playwright's browser tests leave an event loop in the worker; this test
    # talks to its database synchronously like any test case.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    base = connections["default"].settings_dict
    settings_dict = copy.deepcopy(base)
    vendor = connections["default"].vendor
    with django_db_blocker.unblock():
        if vendor == "sqlite":
            settings_dict["NAME"] = str(tmp_path / "moves.sqlite3")
        else:
            name = f"{base['NAME']}_moves_{uuid.uuid4().hex[:8]}"
            settings_dict["NAME"] = name
            with connections["default"]._nodb_cursor() as cursor:
                cursor.execute(f'CREATE DATABASE "{name}"')
        settings_dict["TEST"] = {**settings_dict.get("TEST", {}), "NAME": None}
        connections.settings[ALIAS] = settings_dict
        try:
            yield connections[ALIAS]
        finally:
            connections[ALIAS].close()
            del connections[ALIAS]
            del connections.settings[ALIAS]
            if vendor != "sqlite":
                with connections["default"]._nodb_cursor() as cursor:
                    cursor.execute(f'DROP DATABASE "{settings_dict["NAME"]}"')


def old_targets(executor: MigrationExecutor) -> list[tuple[str, str]]:
    targets = []
    for app, name in executor.loader.graph.leaf_nodes():
        if app in NEW_APPS:
            continue
        targets.append((app, BEFORE.get(app, name)))
    return targets


def fill_as_before(apps, alias: str) -> dict:
    """Rows as the code before the move wrote them, through the models of that
    migration state (tasks.Notification, tasks.Bulletin …)."""

    def model(label: str):
        return apps.get_model(label)._default_manager.db_manager(alias)

    ContentType = model("contenttypes.ContentType")
    Permission = model("auth.Permission")
    user = model("members.User").create(username="liaison", password="!", email="")
    group = model("auth.Group").create(name="unit:sfj")
    note = model("tasks.Notification").create(
        recipient=user, text="新交办任务 T1", url="/tasks/1/"
    )
    log = model("tasks.ReminderLog").create(
        recipient=user, day=date(2026, 3, 2), task_count=3
    )
    bulletin = model("tasks.Bulletin").create(
        period="month",
        period_start=date(2026, 2, 1),
        period_end=date(2026, 2, 28),
        title="关于2026年2月知识产权督办任务进展情况的通报",
        narrative="特此通报。",
        figures={"totals": {"led": 3}},
        created_by=user,
    )
    model("tasks.HistoricalBulletin").create(
        id=bulletin.pk,
        period="month",
        period_start=bulletin.period_start,
        period_end=bulletin.period_end,
        title=bulletin.title,
        narrative=bulletin.narrative,
        figures=bulletin.figures,
        status="draft",
        created_at=bulletin.created_at,
        created_by=user,
        edit_version=1,
        history_date=bulletin.created_at,
        history_type="+",
        history_user=user,
    )
    content_types = {
        key: ContentType.get(app_label=key[0], model=key[1]) for key in MOVED
    }
    perms = {
        (key, action): Permission.get(
            content_type=content_types[key], codename=f"{action}_{key[1]}"
        )
        for key in MOVED
        for action in ("add", "change", "delete", "view")
    }
    bulletin_ct = content_types[("tasks", "bulletin")]
    view_bulletin = perms[(("tasks", "bulletin"), "view")]
    change_bulletin = perms[(("tasks", "bulletin"), "change")]
    group.permissions.add(change_bulletin)
    user.user_permissions.add(perms[(("tasks", "notification"), "view")])
    user_grant = model("guardian.UserObjectPermission").create(
        user=user,
        permission=view_bulletin,
        content_type=bulletin_ct,
        object_pk=str(bulletin.pk),
    )
    group_grant = model("guardian.GroupObjectPermission").create(
        group=group,
        permission=change_bulletin,
        content_type=bulletin_ct,
        object_pk=str(bulletin.pk),
    )
    model("admin.LogEntry").create(
        user=user,
        content_type=bulletin_ct,
        object_id=str(bulletin.pk),
        object_repr=bulletin.title,
        action_flag=2,
        change_message="[]",
    )
    return {
        "user": user.pk,
        "group": group.pk,
        "note": note.pk,
        "log": log.pk,
        "bulletin": bulletin.pk,
        "content_types": {key: ct.pk for key, ct in content_types.items()},
        "perms": {key: perm.pk for key, perm in perms.items()},
        "user_grant": user_grant.pk,
        "group_grant": group_grant.pk,
        "counts": {
            "permissions": Permission.count(),
            "content_types": ContentType.count(),
        },
    }


def test_rows_and_permissions_survive_the_move(scratch) -> None:
    from django.contrib.admin.models import LogEntry
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType
    from guardian.models import GroupObjectPermission, UserObjectPermission

    from members.models import User
    from notices.models import Notification, ReminderLog
    from oversight.models import Bulletin

    executor = MigrationExecutor(scratch)
    before = old_targets(executor)
    executor.migrate(before)
    old_apps = executor.loader.project_state(before).apps
    # what ``migrate`` did after the old migrations: content types, permissions
    emit_post_migrate_signal(0, False, ALIAS, apps=old_apps, plan=[])
    was = fill_as_before(old_apps, ALIAS)

    executor = MigrationExecutor(scratch)
    executor.migrate(executor.loader.graph.leaf_nodes())
    emit_post_migrate_signal(0, False, ALIAS)
    ContentType.objects.clear_cache()

    db = ALIAS
    # every row, in its table, with its id
    note = Notification.objects.using(db).get(pk=was["note"])
    assert (note.recipient_id, note.text, note.url) == (
        was["user"],
        "新交办任务 T1",
        "/tasks/1/",
    )
    log = ReminderLog.objects.using(db).get(pk=was["log"])
    assert (log.day, log.task_count) == (date(2026, 3, 2), 3)
    bulletin = Bulletin.objects.using(db).get(pk=was["bulletin"])
    assert bulletin.figures == {"totals": {"led": 3}}
    assert Bulletin.history.using(db).filter(id=bulletin.pk).count() == 1

    # the content types moved with the models: same ids, new app, no old one left
    for old, new in MOVED.items():
        ct = ContentType.objects.db_manager(db).get(pk=was["content_types"][old])
        assert (ct.app_label, ct.model) == new
        assert (
            not ContentType.objects.using(db)
            .filter(app_label=old[0], model=old[1])
            .exists()
        )
    # the permissions kept their ids and now belong to the new apps; none twice
    for (old, action), pk in was["perms"].items():
        perm = Permission.objects.using(db).select_related("content_type").get(pk=pk)
        assert (perm.content_type.app_label, perm.codename) == (
            MOVED[old][0],
            f"{action}_{old[1]}",
        )
        assert (
            Permission.objects.using(db)
            .filter(codename=perm.codename, content_type__model=old[1])
            .count()
            == 1
        )
    # post_migrate created nothing for the moved models: the new apps' models
    # are the old rows (only models new since then may add permissions)
    for app in ("notices", "oversight"):
        assert set(
            Permission.objects.using(db)
            .filter(content_type__app_label=app)
            .values_list("pk", flat=True)
        ) == {pk for (old, _a), pk in was["perms"].items() if MOVED[old][0] == app}

    # what was granted with them still is
    bulletin_ct = was["content_types"][("tasks", "bulletin")]
    group = Group.objects.using(db).get(pk=was["group"])
    assert set(
        group.permissions.values_list("content_type__app_label", "codename")
    ) == {("oversight", "change_bulletin")}
    user = User.objects.using(db).get(pk=was["user"])
    assert set(
        user.user_permissions.values_list("content_type__app_label", "codename")
    ) == {("notices", "view_notification")}
    user_grant = UserObjectPermission.objects.using(db).get(pk=was["user_grant"])
    assert (user_grant.content_type_id, user_grant.object_pk) == (
        bulletin_ct,
        str(bulletin.pk),
    )
    assert user_grant.permission.codename == "view_bulletin"
    assert user_grant.content_type.model_class() is Bulletin
    group_grant = GroupObjectPermission.objects.using(db).get(pk=was["group_grant"])
    assert group_grant.permission.content_type.app_label == "oversight"
    assert group_grant.content_type_id == bulletin_ct
    entry = LogEntry.objects.using(db).get()
    assert entry.content_type_id == bulletin_ct
    assert entry.content_type.model_class() is Bulletin


def test_back_and_forth(scratch) -> None:
    """Migrating back to before the move gives the content types back to tasks,
    and forward again to notices and oversight, ids unchanged."""
    from django.contrib.contenttypes.models import ContentType

    executor = MigrationExecutor(scratch)
    executor.migrate(executor.loader.graph.leaf_nodes())
    emit_post_migrate_signal(0, False, ALIAS)
    ids = dict(
        ContentType.objects.using(ALIAS)
        .filter(app_label__in=["notices", "oversight"])
        .values_list("model", "pk")
    )
    executor = MigrationExecutor(scratch)
    executor.migrate(old_targets(executor))
    assert (
        dict(
            ContentType.objects.using(ALIAS)
            .filter(app_label="tasks", model__in=ids)
            .values_list("model", "pk")
        )
        == ids
    )
    executor = MigrationExecutor(scratch)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert (
        dict(
            ContentType.objects.using(ALIAS)
            .filter(app_label__in=["notices", "oversight"])
            .values_list("model", "pk")
        )
        == ids
    )
