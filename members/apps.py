from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("成员单位与人员")
    # what the office manages in the admin (members.services.office_group_sync)
    office_models = ["unit", "unitalias", "person", "position", "membership"]
