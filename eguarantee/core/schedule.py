"""Daily jobs, started by the task workers themselves: no cron, no single scheduler process.

An app lists its daily jobs in `<app>/schedule.py`:

    DAILY = [Daily("guarantors.check_qualifications", "02:30", jobs.check_qualifications_job)]

Every worker's heartbeat calls `enqueue_due()`. A job whose time of day (Beijing time) has
passed and that has not run today is enqueued once: the ScheduledRun row with its unique
(name, day) decides which worker does it. Jobs must be idempotent and catch up on what is
due (a day the workers were down is not replayed separately).
"""

import datetime
import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from .apphooks import app_modules
from .models import ScheduledRun

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Daily:
    name: str
    at: str  # "HH:MM", Beijing time
    task: object  # a django-tasks task

    @property
    def time(self):
        return datetime.time.fromisoformat(self.at)


def daily_jobs():
    # core.schedule is this module, not a list of jobs
    return [job for module in app_modules("schedule", exclude=("eguarantee.core",)) for job in module.DAILY]


def every_beat():
    """Work each app wants done at every worker beat (`EVERY_BEAT = [callable]` in its
    schedule.py): short, idempotent, safe when several workers beat at once."""
    ran = []
    for module in app_modules("schedule", exclude=("eguarantee.core",)):
        for job in getattr(module, "EVERY_BEAT", ()):
            try:
                job()
            except Exception:  # one failing job must not stop the others, nor the beat
                log.exception("beat job %s failed", getattr(job, "__qualname__", job))
                continue
            ran.append(job)
    return ran


def enqueue_due(now=None, worker_id=""):
    """Enqueue every daily job due and not yet started today; returns the names enqueued."""
    local = timezone.localtime(now or timezone.now())
    started = []
    for job in daily_jobs():
        if local.time() < job.time:
            continue
        try:
            with transaction.atomic():
                ScheduledRun.objects.create(name=job.name, day=local.date(), worker_id=worker_id[:64])
                job.task.enqueue()
        except IntegrityError:
            continue  # another worker started it today
        except Exception:  # one broken job must not keep the others from starting
            log.exception("daily job %s could not be enqueued", job.name)
            continue
        started.append(job.name)
    return started
