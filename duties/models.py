"""Duty clauses (职责分工): each unit's paragraph split into numbered clauses."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class DutyCategory(models.TextChoices):
    PUBLICITY = "publicity", _("宣传")
    ENFORCEMENT = "enforcement", _("执法")
    CREATION = "creation", _("创造运用")
    EDUCATION = "education", _("教育培训")
    LEGAL = "legal", _("法律服务")
    FUNDING = "funding", _("资金保障")
    FOREIGN = "foreign", _("涉外")
    VARIETY = "variety", _("品种/地理标志")
    TRIAL = "trial", _("审判")
    COORDINATION = "coordination", _("统筹协调")
    POLICY = "policy", _("政策制度")


class DutyClauseQuerySet(models.QuerySet):
    def joint(self) -> DutyClauseQuerySet:
        return self.filter(is_joint=True)


class DutyClause(models.Model):
    unit = models.ForeignKey(
        "members.Unit",
        verbose_name=_("单位"),
        on_delete=models.CASCADE,
        related_name="duties",
    )
    number = models.PositiveSmallIntegerField(_("序号"))
    text = models.TextField(_("条款原文"))
    category = models.CharField(_("类别"), max_length=20, choices=DutyCategory.choices)
    is_joint = models.BooleanField(
        _("联合职责"),
        default=False,
        help_text=_("会同相关部门共同承担的职责，如联合执法行动和大型宣传活动。"),
    )
    history = HistoricalRecords()

    objects = DutyClauseQuerySet.as_manager()

    class Meta:
        ordering = ["unit__order", "number"]
        verbose_name = _("职责条款")
        verbose_name_plural = _("职责条款")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "number"], name="duty_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit.name} {self.code}"

    def get_absolute_url(self) -> str:
        return reverse("duties:catalogue") + f"?unit={self.unit.code}#duty-{self.pk}"

    @property
    def code(self) -> str:
        return f"{self.unit.code.upper()}-{self.number}"
