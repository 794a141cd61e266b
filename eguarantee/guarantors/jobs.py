"""Periodic work of 保证人管理, run by the task worker (schedule `check_qualifications_job`
daily) or by `manage.py check_qualifications`."""

from django_tasks import task

from . import services


@task()
def check_qualifications_job():
    result = services.check_qualification_expiry()
    return {"day": result.day.isoformat(), "warned": result.warned, "messages": result.messages}
