"""Retention: delete audit records (数据变更日志, 操作日志, 登录日志) older than the retention
period. `--days` overrides settings.AUDIT_RETENTION_DAYS but never goes below
settings.AUDIT_RETENTION_MIN_DAYS."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from eguarantee.audit import services
from eguarantee.core.exceptions import ServiceError


class Command(BaseCommand):
    help = "清理超过保留期的审计日志（数据变更日志、操作日志、登录日志）。"

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="保留天数，默认取 AUDIT_RETENTION_DAYS")
        parser.add_argument("--dry-run", action="store_true", help="只统计将被清理的记录数，不删除")

    def handle(self, *args, days=None, dry_run=False, **options):
        try:
            result = services.purge_audit(days, dry_run=dry_run)
        except ServiceError as exc:
            raise CommandError(exc.message) from None
        verb = "将清理" if dry_run else "已清理"
        cutoff = timezone.localtime(result.cutoff).strftime("%Y-%m-%d %H:%M:%S")
        self.stdout.write(f"保留期 {result.days} 天，截止时间 {cutoff}（早于此时间的记录{verb}）。")
        for label, count in result.counts.items():
            self.stdout.write(f"{label}：{verb} {count} 条")
        summary = f"合计{verb} {result.total} 条。"
        self.stdout.write(self.style.WARNING(summary) if dry_run else self.style.SUCCESS(summary))
