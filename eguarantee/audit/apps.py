from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "eguarantee.audit"
    label = "audit"
    verbose_name = "系统日志"

    def ready(self):
        from . import changelog, menus  # noqa: F401

        changelog.connect()
