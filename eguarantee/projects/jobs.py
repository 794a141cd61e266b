from django_tasks import task

from . import services


@task()
def reassign_departments(scopes=None):
    """Idempotent: run again, it finds nothing left to change. `scopes` as JSON lists."""
    return services.reassign_departments([tuple(scope) for scope in scopes] if scopes is not None else None)
