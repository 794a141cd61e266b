"""`manage.py run_witness`: the standalone witness (eguarantee/evidence/witness.py) started
from an installed platform, for an operator who has one at hand. The witness still meets the
log over HTTP only, as it would from another machine (its logging goes through the project's
LOGGING); --log-url defaults to this installation's PUBLIC_BASE_URL."""

import argparse

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from eguarantee.evidence import witness


class Command(BaseCommand):
    help = "运行证据日志见证节点：核验平台树头的一致性后联署，发现回滚或分叉时告警并停止联署。"

    def add_arguments(self, parser):
        witness.add_arguments(parser, log_url_default=settings.PUBLIC_BASE_URL or None)

    def handle(self, *args, **options):
        try:
            status = witness.run(argparse.Namespace(**options), stdout=self.stdout)
        except witness.UsageError as exc:
            raise CommandError(str(exc)) from None
        if status != witness.EXIT_OK:
            raise CommandError("见证节点本次未能联署（原因见日志）。", returncode=status)
