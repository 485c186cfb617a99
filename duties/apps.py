from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DutiesConfig(AppConfig):
    name = "duties"
    verbose_name = _("职责分工")
    # what the office manages in the admin (members.services.office_group_sync)
    office_models = ["dutyclause"]

    def ready(self) -> None:
        from members.services import founding_parts

        from .services import duties_load_founding

        founding_parts.register(duties_load_founding)
