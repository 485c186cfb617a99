from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    name = "tasks"
    verbose_name = _("督办任务")
    # what the office manages in the admin (members.services.office_group_sync)
    office_models = ["workdayoverride"]

    def ready(self) -> None:
        from notices.digest import register

        from .reminders import task_digest

        register(task_digest)
