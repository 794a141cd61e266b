"""Periodic work of 企业信用, run by the task worker (schedule.py) or by
`manage.py record_late_payments`."""

from django_tasks import task

from . import services


@task()
def record_late_payments_job():
    return {"recorded": services.record_late_payments()}
