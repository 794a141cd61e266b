from django.apps import AppConfig
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class CoreConfig(AppConfig):
    name = "eguarantee.core"
    label = "core"
    verbose_name = "平台基础"

    def ready(self):
        if not settings.DEBUG and settings.SECRET_KEY == settings.DEVELOPMENT_SECRET_KEY:
            raise ImproperlyConfigured(
                "DEBUG is off but SECRET_KEY is the development key: set SECRET_KEY in the environment."
            )
        from django_tasks.signals import task_finished, task_started

        from . import (
            checks,  # noqa: F401  (registers system checks)
            context,
        )

        task_started.connect(context.task_started, dispatch_uid="action_context_task_started")
        task_finished.connect(context.task_finished, dispatch_uid="action_context_task_finished")
