from django.core.management.base import BaseCommand

from eguarantee.credit import services


class Command(BaseCommand):
    help = "Record 逾期缴费 for every guarantee still awaiting payment past its due date; safe to run at any time."

    def handle(self, *args, **options):
        recorded = services.record_late_payments()
        self.stdout.write(f"已记录 {recorded} 条逾期缴费信用记录。")
