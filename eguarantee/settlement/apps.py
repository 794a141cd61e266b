from django.apps import AppConfig


class SettlementConfig(AppConfig):
    name = "eguarantee.settlement"
    label = "settlement"
    verbose_name = "保函结算"

    def ready(self):
        from . import menus, subscribers  # noqa: F401

        subscribers.connect()
