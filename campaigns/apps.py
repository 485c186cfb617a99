from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("联合执法与宣传活动")
    # what the office manages in the admin (members.services.office_group_sync)
    office_models = ["indicator"]

    def ready(self) -> None:
        # meetings and notices never import campaigns: campaigns adds its dates to
        # the calendar feed and its reports to the daily digest through their hooks
        from meetings import hooks
        from notices.digest import providers

        from .digest import campaign_digest
        from .ics import campaign_feed_events

        hooks.calendar_events.register(campaign_feed_events)
        providers.register(campaign_digest)
