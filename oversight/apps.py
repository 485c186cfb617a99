from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    name = "oversight"
    verbose_name = _("督查统计与通报")

    def ready(self) -> None:
        from annual import report
        from duties import columns

        from .bulletins import annual_report_paragraphs
        from .dashboard import duty_task_column

        columns.providers.register(duty_task_column)
        report.paragraphs_providers.register(annual_report_paragraphs)
