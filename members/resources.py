"""Import/export of the unit roster (django-import-export)."""

from __future__ import annotations

from import_export import fields, resources

from .models import Unit


class UnitResource(resources.ModelResource):
    aliases = fields.Field(attribute="aliases", column_name="别名")

    class Meta:
        model = Unit
        import_id_fields = ["code"]
        fields = ["code", "name", "full_name", "is_member", "order", "aliases"]
        export_order = ["code", "name", "full_name", "is_member", "order", "aliases"]
        use_transactions = True
        skip_unchanged = True
        report_skipped = True

    def dehydrate_aliases(self, unit: Unit) -> str:
        return "、".join(unit.aliases.values_list("name", flat=True))

    def save_m2m(self, instance, row, using_transactions, dry_run) -> None:
        from .grants import grant_unit_access
        from .models import UnitAlias

        super().save_m2m(instance, row, using_transactions, dry_run)
        names = [
            n.strip() for n in str(row.get("别名") or "").replace(",", "、").split("、")
        ]
        for name in filter(None, names):
            UnitAlias.objects.update_or_create(name=name, defaults={"unit": instance})
        grant_unit_access(instance)

    def import_field(self, field, instance, row, is_m2m=False, **kwargs) -> None:
        if field.attribute == "aliases":
            return
        super().import_field(field, instance, row, is_m2m, **kwargs)
