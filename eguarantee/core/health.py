"""/healthz answers while the process lives; /readyz only when it can do real work."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.utils import timezone

from .models import WorkerHeartbeat


def healthz(request):
    return JsonResponse({"status": "ok"})


def _check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return True, "ok"


def _check_migrations():
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        return False, f"{len(pending)} migrations not applied"
    return True, "ok"


def _check_media():
    name = default_storage.save(f".readyz/{uuid.uuid4().hex}", ContentFile(b"ok"))
    default_storage.delete(name)
    return True, "ok"


def _check_worker():
    latest = WorkerHeartbeat.objects.order_by("-beat_at").values_list("beat_at", flat=True).first()
    if latest is None:
        return False, "no task worker has reported"
    age = timezone.now() - latest
    if age > timedelta(seconds=settings.WORKER_HEARTBEAT_MAX_AGE_SECONDS):
        return False, f"last heartbeat {int(age.total_seconds())}s ago"
    return True, f"last heartbeat {int(age.total_seconds())}s ago"


CHECKS = {
    "database": _check_database,
    "migrations": _check_migrations,
    "media": _check_media,
    "worker": _check_worker,
}


def readyz(request):
    results, ready = {}, True
    for name, check in CHECKS.items():
        try:
            ok, detail = check()
        except Exception as exc:  # a readiness probe reports failures, it never raises
            ok, detail = False, f"{type(exc).__name__}: {exc}"
        results[name] = {"ok": ok, "detail": detail}
        ready = ready and ok
    return JsonResponse({"status": "ready" if ready else "not_ready", "checks": results}, status=200 if ready else 503)
