"""Admin: the audit log read-only (no one adds, changes or deletes an entry), the
administrator roles read-only (granted on the security administrator's page),
and members' account admin with the password policy's first-login change."""

from __future__ import annotations

from django.contrib import admin

from members.admin import UserAdmin
from members.models import User

from .models import AccountSecurity, AdminRole, AuditEntry


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["seq", "created_at", "username", "ip", "action", "object", "result"]
    list_filter = ["action", "result"]
    search_fields = ["username", "ip", "object", "path"]
    date_hierarchy = "created_at"

    def get_actions(self, request):
        return {}


@admin.register(AdminRole)
class AdminRoleAdmin(ReadOnlyAdmin):
    list_display = ["user", "role", "granted_by", "granted_at"]


admin.site.unregister(User)


@admin.register(User)
class PolicyUserAdmin(UserAdmin):
    """An account an administrator creates, or whose password they set, must get
    a new password from its holder at the next sign-in."""

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        if not change:
            AccountSecurity.objects.update_or_create(
                user=obj, defaults={"must_change_password": True}
            )

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            AccountSecurity.objects.update_or_create(
                user_id=id, defaults={"must_change_password": True}
            )
        return response
