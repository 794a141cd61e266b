from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "eguarantee.payments"
    label = "payments"
    verbose_name = "保费支付"
