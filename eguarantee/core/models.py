from django.db import models


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField("创建时间", auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        abstract = True


class WorkerHeartbeat(models.Model):
    """One row per task-worker process; /readyz reads the newest beat."""

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(auto_now_add=True)
    beat_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "任务进程心跳"
        verbose_name_plural = verbose_name
        default_permissions = ()

    def __str__(self):
        return f"{self.hostname}:{self.pid}"


class ScheduledRun(models.Model):
    """One row per periodic job per day it was started (core/schedule.py). The unique pair
    lets any number of workers look for due jobs and start each exactly once a day."""

    name = models.CharField(max_length=100)
    day = models.DateField()
    enqueued_at = models.DateTimeField(auto_now_add=True)
    worker_id = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = "定时任务运行记录"
        verbose_name_plural = verbose_name
        default_permissions = ()
        constraints = [models.UniqueConstraint(fields=["name", "day"], name="scheduled_run_once_a_day")]

    def __str__(self):
        return f"{self.name}@{self.day}"
