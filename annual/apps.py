from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnnualConfig(AppConfig):
    name = "annual"
    verbose_name = _("年度工作")

    def ready(self) -> None:
        # meetings never imports annual: a meeting's page links to its pack
        # through the meetings hook
        from meetings import hooks
        from notices.digest import providers

        from .digest import round_digest
        from .from_meetings import pack_links

        providers.register(round_digest)
        hooks.meeting_links.register(pack_links)
