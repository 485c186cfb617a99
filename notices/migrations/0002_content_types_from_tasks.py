"""The moved models' content types follow them (tasks.notification →
notices.notification, …), so their permissions and whatever was granted with
them stay attached and no second set is created."""

from django.db import migrations

from jinwei_ip.lib.moved_models import move_content_types

MODELS = ["notification", "reminderlog"]


def forward(apps, schema_editor):
    move_content_types(
        apps, schema_editor, old_app="tasks", new_app="notices", models=MODELS
    )


def backward(apps, schema_editor):
    move_content_types(
        apps, schema_editor, old_app="notices", new_app="tasks", models=MODELS
    )


class Migration(migrations.Migration):
    dependencies = [
        ("notices", "0001_initial"),
        ("tasks", "0005_notices_and_bulletins_moved_out"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forward, backward)]
