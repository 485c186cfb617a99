from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "security"
    verbose_name = _("安全管理")

    def ready(self) -> None:
        # The audit log's lines (jinwei_ip.lib.audit) are also written as rows of
        # the tamper-evident AuditEntry table; django.contrib.admin's own change
        # log and the login signal are recorded the same way. These are hooks of
        # the audit trail, not domain logic.
        from django.contrib.admin.models import LogEntry
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_save

        from jinwei_ip.lib import audit

        from . import checks  # noqa: F401  (registers the deploy check)
        from .audit import admin_log_entry_saved, record_line
        from .middleware import login_state

        audit.add_sink(record_line)
        post_save.connect(
            admin_log_entry_saved, sender=LogEntry, dispatch_uid="security_admin_log"
        )
        user_logged_in.connect(login_state, dispatch_uid="security_login_state")
