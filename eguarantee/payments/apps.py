from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "eguarantee.payments"
    label = "payments"
    verbose_name = "保费支付"

    def ready(self):
        from eguarantee.core import events

        from . import checks, menus, services  # noqa: F401

        # In the transaction: the payment records move with the guarantee, or not at all.
        events.subscribe("guarantee.cancel", services.on_guarantee_cancelled)
        events.subscribe("guarantee.confirm_payment", services.on_payment_confirmed)
