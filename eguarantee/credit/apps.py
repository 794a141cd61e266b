from django.apps import AppConfig


class CreditConfig(AppConfig):
    name = "eguarantee.credit"
    label = "credit"
    verbose_name = "企业信用"

    def ready(self):
        from . import menus, subscribers  # noqa: F401

        subscribers.connect()
