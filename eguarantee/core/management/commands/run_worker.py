"""The background-task worker, with a heartbeat that /readyz reads.

Wraps django-tasks-db's `db_worker`; a daemon thread records a beat every
WORKER_HEARTBEAT_SECONDS so operators can tell a dead worker from an idle one, and starts
the daily jobs that are due and each app's every-beat work (core/schedule.py).
"""

import logging
import os
import socket
import threading
import uuid

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection
from django.utils import timezone

from eguarantee.core import schedule
from eguarantee.core.models import WorkerHeartbeat

logger = logging.getLogger(__name__)


def beat(worker_id):
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"beat_at": timezone.now(), "hostname": socket.gethostname(), "pid": os.getpid()},
    )


class Command(BaseCommand):
    help = "Run the background-task worker (django-tasks-db) with a readiness heartbeat."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0)

    def handle(self, *args, **options):
        worker_id = f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        beat(worker_id)
        stop = threading.Event()

        def loop():
            while not stop.wait(settings.WORKER_HEARTBEAT_SECONDS):
                try:
                    close_old_connections()
                    beat(worker_id)
                    schedule.enqueue_due(worker_id=worker_id)
                    schedule.every_beat()
                except Exception:  # a missed beat shows in /readyz; it must not end the thread
                    logger.exception("worker heartbeat or daily jobs not recorded")
                finally:
                    connection.close()

        threading.Thread(target=loop, name="heartbeat", daemon=True).start()
        try:
            call_command("db_worker", interval=options["interval"], worker_id=worker_id[:64], reload=False)
        finally:
            stop.set()
