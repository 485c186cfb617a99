from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("联合执法与宣传活动")

    def ready(self) -> None:
        # The meetings calendar feed asks its registered sources for more events;
        # meetings never imports campaigns, campaigns adds itself here.
        from meetings.ics import register_feed_source

        from .ics import campaign_feed_events

        register_feed_source(campaign_feed_events)
