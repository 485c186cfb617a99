from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    name = "tasks"
    verbose_name = _("督办任务")

    def ready(self) -> None:
        from notices.digest import register

        from .reminders import task_digest

        register(task_digest)
