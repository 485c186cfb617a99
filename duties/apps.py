from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DutiesConfig(AppConfig):
    name = "duties"
    verbose_name = _("职责分工")
    # what the office manages in the admin (members.services.office_group_sync)
    office_models = ["dutyclause"]

    def ready(self) -> None:
        from members import hooks
        from members.services import founding_parts

        from .pages import attach_duty_counts, office_duties, unit_duties
        from .services import duties_load_founding

        founding_parts.register(duties_load_founding)
        hooks.group_unit_details.register(attach_duty_counts)
        hooks.office_page_parts.register(office_duties)
        hooks.unit_page_parts.register(unit_duties)
