"""Periodic audit jobs, run by the task worker (schedule `purge_audit_job` daily)."""

from django_tasks import task

from . import services


@task()
def purge_audit_job(days=None):
    result = services.purge_audit(days)
    return {"cutoff": result.cutoff.isoformat(), "days": result.days, "counts": result.counts}
