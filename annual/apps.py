from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnnualConfig(AppConfig):
    name = "annual"
    verbose_name = _("年度工作")

    def ready(self) -> None:
        from notices.digest import providers

        from .digest import round_digest

        providers.register(round_digest)
