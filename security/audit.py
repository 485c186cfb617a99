"""The audit log as data: an append-only, hash-chained table.

``record()`` is the one function that writes an ``AuditEntry``. Every line of
``jinwei_ip.lib.audit.log_event`` (logins, logouts, failures, lock-outs, refusals,
exports, rate limits) reaches it through the sink registered in ``apps.py``; the
security services call it for role, account and policy changes; Django admin's
own change log is copied in by ``admin_log_entry_saved``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import DatabaseError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import AuditChainHead, AuditEntry

logger = logging.getLogger("jinwei_ip.audit")

ACTION_LABELS = {
    "login": _("登录"),
    "logout": _("退出登录"),
    "login_failed": _("登录失败"),
    "login_locked_out": _("登录锁定"),
    "otp_verified": _("双因素验证通过"),
    "otp_failed": _("双因素验证失败"),
    "otp_enrolled": _("启用双因素认证"),
    "otp_reset": _("重置双因素认证"),
    "recovery_codes": _("生成恢复码"),
    "password_change": _("修改密码"),
    "password_reset": _("重置密码"),
    "permission_denied": _("越权访问被拒绝"),
    "not_found": _("访问不可见对象"),
    "rate_limited": _("请求过于频繁"),
    "export": _("导出或下载"),
    "admin_change": _("后台数据变更"),
    "account_create": _("创建账号"),
    "account_update": _("修改账号"),
    "role_grant": _("授予管理角色"),
    "role_revoke": _("撤销管理角色"),
    "policy_change": _("修改安全策略"),
    "audit_export": _("导出审计记录"),
    "audit_purge": _("清理过期审计记录"),
    "session_expired": _("会话超时"),
}

RESULT_OF = {
    "login_failed": AuditEntry.Result.FAILURE,
    "login_locked_out": AuditEntry.Result.FAILURE,
    "otp_failed": AuditEntry.Result.FAILURE,
    "permission_denied": AuditEntry.Result.DENIED,
    "not_found": AuditEntry.Result.DENIED,
    "rate_limited": AuditEntry.Result.DENIED,
}

# Fields of a log line that have their own column.
_COLUMNS = {"event", "user", "user_id", "ip", "method", "path", "object"}


def _jsonable(value: Any) -> Any:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return str(value)


def record(
    *,
    action: str,
    username: str = "",
    user_id: int | None = None,
    ip: str = "",
    object: str = "",
    result: str | None = None,
    method: str = "",
    path: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry to the chain.

    The chain head's row is updated first: on PostgreSQL that takes its row
    lock, on SQLite the database's write lock, so two writers never read the same
    previous hash; the second waits for the first to commit. Inside a savepoint,
    so a failed write never breaks the caller's transaction.
    """
    with transaction.atomic():
        AuditChainHead.objects.get_or_create(pk=1)
        AuditChainHead.objects.filter(pk=1).update(seq=models.F("seq") + 1)
        head = AuditChainHead.objects.select_for_update().get(pk=1)
        entry = AuditEntry(
            seq=head.seq,
            created_at=timezone.now().replace(microsecond=0),
            user_id_value=user_id,
            username=(username or "")[:150],
            ip=(ip or "")[:64],
            action=action[:40],
            object=(object or "")[:200],
            result=result or RESULT_OF.get(action, AuditEntry.Result.SUCCESS),
            method=(method or "")[:10],
            path=(path or "")[:300],
            detail=_jsonable(detail or {}),
            prev_hash=head.last_hash,
        )
        entry.hash = entry.compute_hash()
        entry.save(force_insert=True)
        head.last_hash = entry.hash
        head.save(update_fields=["last_hash"])
    return entry


def record_line(data: dict[str, Any]) -> None:
    """The sink of ``jinwei_ip.lib.audit.log_event``: the line's fields as a row."""
    obj = data.get("object") or data.get("what") or ""
    if data.get("object") and data.get("what"):
        obj = f"{data['what']} {data['object']}"
    detail = {k: v for k, v in data.items() if k not in _COLUMNS}
    username = data.get("user") or data.get("attempted") or ""
    try:
        record(
            action=data["event"],
            username=str(username),
            user_id=data.get("user_id"),
            ip=data.get("ip", ""),
            object=str(obj),
            method=data.get("method", ""),
            path=data.get("path", ""),
            detail=detail,
        )
    except DatabaseError:
        # The line itself is already in the log; say loudly that the row is not.
        logger.exception("audit row not written for %s", data.get("event"))


def admin_log_entry_saved(sender, instance, created: bool, **kwargs) -> None:
    """Every change made in Django's admin (its LogEntry) as an audit row."""
    if not created:
        return
    from django.contrib.admin.models import ADDITION, CHANGE, DELETION

    user = instance.user
    verbs = {
        ADDITION: "add",
        CHANGE: "change",
        DELETION: "delete",
    }
    from simple_history.models import HistoricalRecords

    from jinwei_ip.lib.audit import log_event

    # simple_history's middleware keeps the request: the admin's address
    request = getattr(HistoricalRecords.context, "request", None)
    ct = instance.content_type
    log_event(
        request,
        "admin_change",
        user=user,
        object=f"{ct.app_label}.{ct.model}:{instance.object_id}" if ct else "",
        change=verbs.get(instance.action_flag, str(instance.action_flag)),
        repr=instance.object_repr,
        message=instance.get_change_message(),
    )


# --- verification and retention ---------------------------------------------


@dataclass
class ChainBreak:
    seq: int
    reason: str


def verify_chain(*, batch: int = 2000) -> tuple[int, ChainBreak | None]:
    """Walk the chain oldest first; return (entries checked, first break or None).

    The oldest remaining entry's ``prev_hash`` is taken as given (older entries
    may have been purged after the retention period); every later entry must
    follow its predecessor without a gap in ``seq`` and name its hash, and every
    entry's own hash must match its content. The last entry must be the chain
    head's, so rows removed from the end are found too.
    """
    checked = 0
    previous: AuditEntry | None = None
    last_seq = 0
    while True:
        rows = list(AuditEntry.objects.filter(seq__gt=last_seq).order_by("seq")[:batch])
        if not rows:
            break
        for entry in rows:
            if previous is not None:
                if entry.seq != previous.seq + 1:
                    return checked, ChainBreak(
                        previous.seq + 1, str(_("记录缺失（序号不连续）"))
                    )
                if entry.prev_hash != previous.hash:
                    return checked, ChainBreak(
                        entry.seq, str(_("前一条哈希与上一条记录不符"))
                    )
            if entry.compute_hash() != entry.hash:
                return checked, ChainBreak(
                    entry.seq, str(_("内容与哈希不符（被修改）"))
                )
            previous = entry
            checked += 1
        last_seq = rows[-1].seq
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and head.seq:
        if (
            previous is None
            or previous.seq != head.seq
            or previous.hash != head.last_hash
        ):
            seq = (previous.seq + 1) if previous else head.seq
            return checked, ChainBreak(seq, str(_("末尾记录缺失或与链头不符")))
    return checked, None


def retention_days() -> int:
    return max(180, int(getattr(settings, "AUDIT_RETENTION_DAYS", 180)))


class PurgeRefused(ValueError):
    pass


def purge_before(day: date, *, by: str = "") -> int:
    """Delete entries older than ``day``; refuse a day inside the retention period.

    The purge itself is recorded, naming the first kept entry, so the chain's new
    start is explained in the log.
    """
    oldest_allowed = timezone.localdate() - timedelta(days=retention_days())
    if day > oldest_allowed:
        raise PurgeRefused(
            _("审计记录至少保留 %(n)d 天：只能清理 %(d)s 及以前的记录。")
            % {"n": retention_days(), "d": oldest_allowed.isoformat()}
        )
    boundary = timezone.make_aware(datetime.combine(day, time.min))
    with transaction.atomic():
        deleted, _ignored = AuditEntry.objects.filter(created_at__lt=boundary).delete()
        record(
            action="audit_purge",
            username=by,
            object=f"before:{day.isoformat()}",
            detail={"deleted": deleted},
        )
    return deleted
