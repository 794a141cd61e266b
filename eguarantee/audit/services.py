"""The only write on the audit trail besides appending: removing rows past the retention
period (网络安全法: at least six months). Used by `manage.py purge_audit` and the periodic job."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from eguarantee.core import context
from eguarantee.core.exceptions import ServiceError

from .models import LoginLog, ObjectChange, OperationLog

PURGED_MODELS = (ObjectChange, OperationLog, LoginLog)


@dataclass
class PurgeResult:
    cutoff: datetime
    days: int
    dry_run: bool
    counts: dict = field(default_factory=dict)  # verbose name → rows (to be) removed

    @property
    def total(self):
        return sum(self.counts.values())


def retention_days(days=None):
    """The retention period to apply: `days` or settings.AUDIT_RETENTION_DAYS, never shorter
    than settings.AUDIT_RETENTION_MIN_DAYS."""
    days = settings.AUDIT_RETENTION_DAYS if days is None else days
    minimum = settings.AUDIT_RETENTION_MIN_DAYS
    if isinstance(days, bool) or not isinstance(days, int) or days < minimum:
        raise ServiceError(
            f"审计日志保留期不得少于{minimum}天（网络安全法要求至少保存六个月），当前值：{days}。",
            code="retention_too_short",
            field="days",
        )
    return days


def purge_audit(days=None, *, dry_run=False, now=None):
    """Remove ObjectChange, OperationLog and LoginLog rows older than the retention period.
    With dry_run nothing is removed; the counts say what would be."""
    days = retention_days(days)
    cutoff = (now or timezone.now()) - timedelta(days=days)
    result = PurgeResult(cutoff=cutoff, days=days, dry_run=dry_run)
    with context.acting_as(None, source="purge_audit"), transaction.atomic():
        for model in PURGED_MODELS:
            label = str(model._meta.verbose_name)
            if dry_run:
                result.counts[label] = model.objects.filter(time__lt=cutoff).count()
            else:
                result.counts[label] = model.objects.purge_before(cutoff)
    return result
