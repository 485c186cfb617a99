from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from jinwei_ip.lib.text import OfficialTextField

from .grants import grant_unit_access, unit_group
from .models import (
    LeadingGroup,
    Membership,
    Person,
    Position,
    Provision,
    Unit,
    UnitAlias,
    User,
)
from .people import account_unit_refusal, person_unit_change, person_unit_refusal
from .resources import UnitResource
from .services import account_save


class UnitAliasInline(admin.TabularInline):
    model = UnitAlias
    extra = 1


class UnitAdminForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = ["name", "code", "full_name", "is_member", "order", "duty_summary"]
        field_classes = {"name": OfficialTextField, "full_name": OfficialTextField}


@admin.register(Unit)
class UnitAdmin(ImportExportModelAdmin, SimpleHistoryAdmin):
    form = UnitAdminForm
    resource_classes = [UnitResource]
    list_display = ["name", "code", "is_member", "order"]
    list_editable = ["order"]
    search_fields = ["name", "aliases__name", "code"]
    inlines = [UnitAliasInline]

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        unit_group(obj)
        grant_unit_access(obj)


class PersonAdminForm(forms.ModelForm):
    """Names and titles print in the minutes' attendance lists: the official
    text rule (no control characters, only what the document font prints)."""

    class Meta:
        model = Person
        fields = ["name", "unit", "job_title", "phone"]
        field_classes = {"name": OfficialTextField, "job_title": OfficialTextField}

    def clean_unit(self) -> Unit | None:
        unit = self.cleaned_data["unit"]
        refusal = person_unit_refusal(self.instance, unit)
        if refusal:
            raise forms.ValidationError(refusal)
        return unit


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    form = PersonAdminForm
    list_display = ["name", "unit", "job_title", "phone"]
    list_filter = ["unit"]
    search_fields = ["name", "job_title"]

    def save_model(self, request, obj, form, change) -> None:
        # A person's account moves unit (and auth group) with them.
        if change and "unit" in form.changed_data:
            person_unit_change(person=obj, unit=obj.unit)
        else:
            super().save_model(request, obj, form, change)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    readonly_fields = ["person", "start_on", "end_on", "note"]
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        # New holders are appointed through the portal's 变更任职人员 page, which
        # closes the former holder's term instead of overwriting it.
        return False


@admin.register(Position)
class PositionAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "unit", "order"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["position", "person", "start_on", "end_on"]
    list_filter = ["position__kind"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class AccountChangeForm(UserChangeForm):
    """An account linked to a person is in the person's unit."""

    def clean(self) -> dict:
        data = super().clean()
        if "person" in data and "unit" in data:
            refusal = account_unit_refusal(data["person"], data["unit"])
            if refusal:
                self.add_error("unit", refusal)
        return data


@admin.register(User)
class UserAdmin(BaseUserAdmin, SimpleHistoryAdmin):
    form = AccountChangeForm
    list_display = [
        "username",
        "display_name",
        "role",
        "unit",
        "is_active",
        "last_login",
    ]
    list_filter = ["role", "unit", "is_active"]
    search_fields = ["username", "display_name", "email"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("个人信息"), {"fields": ("display_name", "email", "phone", "person")}),
        (_("角色与单位"), {"fields": ("role", "unit", "is_active")}),
        (_("重要日期"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "display_name",
                    "role",
                    "unit",
                    "password1",
                    "password2",
                ),
            },
        ),
    )

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser and obj is not None:
            fieldsets = (
                *fieldsets,
                (_("系统权限"), {"fields": ("is_staff", "is_superuser")}),
            )
        return fieldsets

    def save_model(self, request, obj, form, change) -> None:
        # Role and unit decide group membership: always go through the service.
        account_save(user=obj, role=obj.role, unit=obj.unit)


admin.site.register(LeadingGroup)
admin.site.register(Provision)
