"""makemessages that also extracts ``gettext_lazy as _l`` (used where a module needs
both the eager and the lazy gettext)."""

from __future__ import annotations

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=_l"]
