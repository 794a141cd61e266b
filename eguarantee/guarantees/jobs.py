"""Periodic work of the guarantees module, run by the task worker (schedule.py) or by
`manage.py release_expired`."""

from django_tasks import task

from . import services


@task()
def release_expired_job():
    return {"released": services.release_expired()}


@task()
def notify_issued_job(guarantee_id):
    from .models import Guarantee

    guarantee = Guarantee.objects.select_related("guarantee_type", "guarantor").filter(pk=guarantee_id).first()
    if guarantee is not None and guarantee.number:
        services.notify_issued(guarantee)
    return {"guarantee": guarantee_id}


@task()
def notify_collusion_job(warning_ids):
    from . import collusion

    collusion.notify(warning_ids)
    return {"warnings": len(warning_ids)}
