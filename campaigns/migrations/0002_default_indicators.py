"""The office's indicator catalogue, with the defaults per kind of campaign."""

from django.db import migrations

# (code, name, measure, value type, default for, cumulative, check role)
DEFAULTS = [
    ("enf-staff", "出动执法人员", "人次", "integer", "enforcement", False, ""),
    ("enf-inspected", "检查经营主体", "户次", "integer", "enforcement", False, ""),
    ("enf-filed", "立案", "件", "integer", "enforcement", False, "filed"),
    ("enf-closed", "结案", "件", "integer", "enforcement", False, "closed"),
    ("enf-penalty", "罚没款", "万元", "decimal", "enforcement", False, ""),
    ("enf-seized", "查扣侵权假冒商品", "件", "integer", "enforcement", False, ""),
    ("enf-transferred", "移送司法机关案件", "件", "integer", "enforcement", False, ""),
    ("enf-amount", "涉案金额", "万元", "decimal", "enforcement", False, ""),
    ("pub-events", "开展活动", "场次", "integer", "publicity", False, ""),
    ("pub-public", "参与群众", "人次", "integer", "publicity", False, ""),
    ("pub-materials", "发放宣传资料", "份", "integer", "publicity", False, ""),
    ("pub-media", "媒体报道", "篇", "integer", "publicity", False, ""),
    ("pub-reads", "新媒体阅读量", "次", "integer", "publicity", True, ""),
    ("pub-training-sessions", "培训", "场次", "integer", "publicity", False, ""),
    ("pub-training-people", "培训", "人次", "integer", "publicity", False, ""),
]


def forward(apps, schema_editor):
    Indicator = apps.get_model("campaigns", "Indicator")
    for order, (code, name, measure, vtype, kind, cumulative, check) in enumerate(
        DEFAULTS, start=1
    ):
        Indicator.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "measure": measure,
                "value_type": vtype,
                "default_for": kind,
                "cumulative": cumulative,
                "check_role": check,
                "order": order * 10,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0001_initial")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
