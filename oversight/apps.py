from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    name = "oversight"
    verbose_name = _("督查统计与通报")

    def ready(self) -> None:
        from duties import columns

        from .dashboard import duty_task_column

        columns.providers.register(duty_task_column)
