"""Oversight: the progress circulars (工作通报) the office drafts from the figures.

The bulletin tables were created by the tasks app and keep their names
(``tasks_bulletin``, ``tasks_historicalbulletin``): the model moved here without
moving a row (migrations 0001 and 0002).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Bulletin(models.Model):
    """A progress circular (通报) drafted from the data, edited and issued by the office."""

    class Period(models.TextChoices):
        MONTH = "month", _("月度")
        QUARTER = "quarter", _("季度")
        YEAR = "year", _("年度")

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        ISSUED = "issued", _("已印发")

    period = models.CharField(_("通报周期"), max_length=10, choices=Period.choices)
    period_start = models.DateField(_("起始日期"))
    period_end = models.DateField(_("截止日期"))
    title = models.CharField(_("标题"), max_length=200)
    narrative = models.TextField(_("正文"))
    figures = models.JSONField(_("统计数据"), default=dict, editable=False)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    issue_year = models.PositiveSmallIntegerField(_("文号年份"), null=True, blank=True)
    issue_number = models.PositiveSmallIntegerField(
        _("文号序号"), null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("起草时间"), auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    issued_at = models.DateTimeField(_("印发时间"), null=True, blank=True)
    edit_version = models.PositiveIntegerField(default=1, editable=False)
    # the tables the tasks app created keep their names (no row moved)
    history = HistoricalRecords(table_name="tasks_historicalbulletin")

    class Meta:
        db_table = "tasks_bulletin"
        ordering = ["-period_end", "-created_at"]
        verbose_name = _("工作通报")
        verbose_name_plural = _("工作通报")
        constraints = [
            models.UniqueConstraint(
                fields=["issue_year", "issue_number"], name="bulletin_unique_number"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="bulletin_period_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("dashboard:bulletin", args=[self.pk])
