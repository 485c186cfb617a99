"""What the portal tells a person: in-app notifications and the daily digest's log.

Both tables were created by the tasks app and keep their names (``tasks_…``): the
models moved here without moving a row (migrations 0001 and 0002).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """An in-app message for one person (assignment, return, reminder, bulletin)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    text = models.CharField(_("内容"), max_length=300)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        db_table = "tasks_notification"
        ordering = ["-created_at"]
        verbose_name = _("站内通知")
        verbose_name_plural = _("站内通知")
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread")
        ]

    def __str__(self) -> str:
        return self.text

    def get_absolute_url(self) -> str:
        return self.url or reverse("notices:list")


class ReminderLog(models.Model):
    """One digest per person per day: ``send_reminders`` records what it sent so a
    second run on the same day sends nothing again."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField(_("提醒日期"))
    task_count = models.PositiveIntegerField(_("任务数"))
    sent_at = models.DateTimeField(_("发送时间"), auto_now_add=True)

    class Meta:
        db_table = "tasks_reminderlog"
        ordering = ["-day"]
        verbose_name = _("提醒记录")
        verbose_name_plural = _("提醒记录")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "day"], name="reminder_once_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.recipient} {self.day}"
