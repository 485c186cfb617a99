"""Logging filters named in settings.LOGGING."""

from __future__ import annotations

import logging


class SkipForbidden(logging.Filter):
    """Drops django.request's record of a 403.

    Django logs every PermissionDenied with its full traceback (twice in DEBUG: its
    own console handler and the root's). A refusal is no fault: the audit
    middleware already writes one line with who, what and where
    (``permission_denied user=… path=…``), which is all an operator needs.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return getattr(record, "status_code", None) != 403
