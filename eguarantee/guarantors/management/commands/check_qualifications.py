"""Daily: warn guarantors and platform administrators of qualifications that expire within
30 days (or have expired) — once per qualification and expiry date, so running it again
sends nothing twice."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from eguarantee.guarantors import services


class Command(BaseCommand):
    help = "检查保证人资质有效期：即将到期（30天内）或已过期的资质发送站内信提醒，每项资质每个有效期只提醒一次。"

    def add_arguments(self, parser):
        parser.add_argument("--date", default=None, help="按指定日期检查（YYYY-MM-DD），默认今天")

    def handle(self, *args, date=None, **options):
        day = None
        if date:
            try:
                day = _parse(date)
            except ValueError:
                raise CommandError("日期格式应为 YYYY-MM-DD。") from None
        result = services.check_qualification_expiry(day)
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.day:%Y-%m-%d}：提醒资质 {len(result.warned)} 项，发送站内信 {result.messages} 条。"
            )
        )


def _parse(text):
    return date.fromisoformat(text)
