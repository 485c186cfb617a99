"""Import/export of duty clauses; units resolve through their aliases."""

from __future__ import annotations

from import_export import fields, resources, widgets

from members.models import Unit

from .models import DutyCategory, DutyClause


class UnitByNameWidget(widgets.ForeignKeyWidget):
    """Resolve a unit written by its canonical name or any alias (教体局 = 区教育局)."""

    def __init__(self) -> None:
        super().__init__(Unit, field="name")

    def clean(self, value, row=None, **kwargs):
        if not value:
            raise ValueError("单位不能为空")
        unit = Unit.objects.resolve(str(value))
        if unit is None:
            raise ValueError(f"无法识别的单位“{value}”")
        return unit


class CategoryWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        labels = {str(label): key for key, label in DutyCategory.choices}
        text = str(value or "").strip()
        if text in DutyCategory.values:
            return text
        if text in labels:
            return labels[text]
        raise ValueError(f"无法识别的类别“{value}”，可选：{'、'.join(labels)}")

    def render(self, value, obj=None, **kwargs):
        return str(DutyCategory(value).label) if value else ""


class DutyClauseResource(resources.ModelResource):
    unit = fields.Field(attribute="unit", column_name="单位", widget=UnitByNameWidget())
    number = fields.Field(
        attribute="number", column_name="序号", widget=widgets.IntegerWidget()
    )
    text = fields.Field(attribute="text", column_name="条款原文")
    category = fields.Field(
        attribute="category", column_name="类别", widget=CategoryWidget()
    )
    is_joint = fields.Field(
        attribute="is_joint", column_name="联合职责", widget=widgets.BooleanWidget()
    )

    class Meta:
        model = DutyClause
        import_id_fields = ["unit", "number"]
        fields = ["unit", "number", "text", "category", "is_joint"]
        use_transactions = True
        skip_unchanged = True
