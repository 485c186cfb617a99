from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "jobs"
    verbose_name = _("后台作业与发件箱")

    def ready(self) -> None:
        # Every app's background.py declares its queue jobs (huey tasks): import
        # them in the web process and in the worker alike, so both know every job
        # by name (the web enqueues, the worker runs).
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("background")
