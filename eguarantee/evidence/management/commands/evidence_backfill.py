"""Record the rows that existed before the evidence log did.

Run once, when a deployment with data first gets this module (a fresh one has nothing to
backfill). Never run it to quiet `verify_evidence`: a row with no leaf written after that
is exactly what tampering looks like."""

from django.core.management.base import BaseCommand
from django.db import transaction

from eguarantee.evidence import services
from eguarantee.evidence.records import registry


class Command(BaseCommand):
    help = "一次性补录存证：为启用证据日志之前已有的业务记录写入叶子（仅在首次启用时运行）。"

    def handle(self, *args, **options):
        total = 0
        for kind, recorder in registry().items():
            with transaction.atomic():
                made = services.record_new(kind, recorder.model._base_manager.all())
            total += len(made)
            self.stdout.write(f"{recorder.label}（{kind}）：补录 {len(made)} 条")
        head = services.publish_head()
        self.stdout.write(self.style.SUCCESS(f"共补录 {total} 条；当前树头 {head.size if head else 0} 个叶子。"))
