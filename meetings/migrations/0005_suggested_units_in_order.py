"""Decision.suggested_units keeps the order the office entered (the lead first):
an explicit through model with a position. Existing rows are kept, numbered in
the order they were shown until now (the units' own order)."""

import django.db.models.deletion
from django.db import migrations, models


def copy_links(apps, schema_editor):
    Decision = apps.get_model("meetings", "Decision")
    SuggestedUnit = apps.get_model("meetings", "SuggestedUnit")
    Old = Decision.suggested_units.through
    position: dict[int, int] = {}
    rows = []
    db = schema_editor.connection.alias  # the database being migrated
    for link in Old.objects.using(db).select_related("unit").order_by(
        "decision_id", "unit__order", "unit_id"
    ):
        n = position[link.decision_id] = position.get(link.decision_id, 0) + 1
        rows.append(
            SuggestedUnit(
                decision_id=link.decision_id, unit_id=link.unit_id, position=n
            )
        )
    SuggestedUnit.objects.using(db).bulk_create(rows, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0004_minutes_snapshot"),
        ("members", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="SuggestedUnit",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                (
                    "position",
                    models.PositiveSmallIntegerField(default=1, verbose_name="顺序"),
                ),
                (
                    "decision",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="unit_links",
                        to="meetings.decision",
                        verbose_name="议定事项",
                    ),
                ),
                (
                    "unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="members.unit",
                        verbose_name="单位",
                    ),
                ),
            ],
            options={
                "verbose_name": "建议承办单位",
                "verbose_name_plural": "建议承办单位",
                "ordering": ["decision", "position", "id"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("decision", "unit"), name="suggested_unit_once"
                    )
                ],
            },
        ),
        migrations.RunPython(copy_links, migrations.RunPython.noop),
        migrations.RemoveField(model_name="decision", name="suggested_units"),
        migrations.AddField(
            model_name="decision",
            name="suggested_units",
            field=models.ManyToManyField(
                blank=True,
                help_text="牵头单位在前：第一家为建议牵头单位。",
                related_name="+",
                through="meetings.SuggestedUnit",
                to="members.unit",
                verbose_name="建议承办单位",
            ),
        ),
    ]
