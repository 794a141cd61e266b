from django.core.management.base import BaseCommand

from eguarantee.guarantees import services


class Command(BaseCommand):
    help = "Release every issued guarantee whose end date has passed (解保); safe to run at any time."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=services.RELEASE_BATCH)

    def handle(self, *args, **options):
        released = services.release_expired(batch_size=options["batch_size"])
        self.stdout.write(f"已解保 {released} 份到期保函。")
