"""Load (or refresh) the founding document as data: group, units, positions, duties."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from members.models import Unit
from members.services import founding_load, office_group_sync


class Command(BaseCommand):
    help = "载入《关于成立区知识产权工作协调领导小组的通知》中的组成、职责与规则。"

    def handle(self, *args, **options) -> None:
        group = founding_load()
        office_group_sync()
        self.stdout.write(
            self.style.SUCCESS(
                f"{group.name}：{Unit.objects.members().count()} 个成员单位"
            )
        )
