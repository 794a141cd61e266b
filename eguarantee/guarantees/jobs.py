"""Periodic work of the guarantees module, run by the task worker (schedule.py) or by
`manage.py release_expired`."""

from django_tasks import task

from . import services


@task()
def release_expired_job():
    return {"released": services.release_expired()}
