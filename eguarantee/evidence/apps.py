from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "eguarantee.evidence"
    label = "evidence"
    verbose_name = "存证与查验"

    def ready(self):
        from . import checks, menus  # noqa: F401
