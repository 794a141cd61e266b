from django.apps import AppConfig


class SettlementConfig(AppConfig):
    name = "eguarantee.settlement"
    label = "settlement"
    verbose_name = "保函结算"
