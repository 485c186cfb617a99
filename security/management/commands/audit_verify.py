"""Verify the audit log's hash chain; exit 1 naming the first broken entry."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from security.audit import verify_chain


class Command(BaseCommand):
    help = "校验审计记录的哈希链，发现篡改时指出第一条被破坏的记录。"

    def handle(self, *args, **options) -> None:
        checked, broken = verify_chain()
        if broken is not None:
            raise CommandError(
                _(
                    "审计记录第 %(seq)d 条起哈希链断裂：%(reason)s（此前 %(n)d 条完好）。"
                )
                % {"seq": broken.seq, "reason": broken.reason, "n": checked}
            )
        self.stdout.write(
            _("校验通过：%(n)d 条审计记录的哈希链完整。") % {"n": checked}
        )
