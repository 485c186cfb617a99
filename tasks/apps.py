from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    name = "tasks"
    verbose_name = _("督办任务")
    # what the office manages in the admin (members.services.office_group_sync)
    office_models = ["workdayoverride"]

    def ready(self) -> None:
        from meetings import hooks, readers
        from notices.digest import providers

        from .followups import minutes_section
        from .from_meetings import (
            attach_visible_tasks,
            tasks_follow_correction,
            units_given_work,
        )
        from .reminders import task_digest

        providers.register(task_digest)
        hooks.decision_details.register(attach_visible_tasks)
        hooks.correction_followers.register(tasks_follow_correction)
        hooks.minutes_sections.register(minutes_section)
        readers.minutes_reader_units.register(units_given_work)
