from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import DutyClause
from .resources import DutyClauseResource


@admin.register(DutyClause)
class DutyClauseAdmin(ImportExportModelAdmin, SimpleHistoryAdmin):
    resource_classes = [DutyClauseResource]
    list_display = ["clause_code", "unit", "text", "category", "is_joint"]
    list_filter = ["unit", "category", "is_joint"]
    search_fields = ["text", "unit__name"]
    list_select_related = ["unit"]

    @admin.display(description=_("编号"), ordering="number")
    def clause_code(self, obj: DutyClause) -> str:
        return obj.code
