from __future__ import annotations

from django.contrib import admin

from .models import Notification, ReminderLog


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["recipient", "text", "created_at", "read_at"]
    list_filter = ["read_at"]


@admin.register(ReminderLog)
class ReminderLogAdmin(admin.ModelAdmin):
    list_display = ["recipient", "day", "task_count", "sent_at"]
    date_hierarchy = "day"
