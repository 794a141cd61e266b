from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def sandbox_gateway_check(app_configs, **kwargs):
    """The sandbox takes no money: in production every "payment" through it would be free."""
    if getattr(settings, "PAYMENT_GATEWAY", "sandbox") == "sandbox":
        return [
            Warning(
                "PAYMENT_GATEWAY is the sandbox gateway: online premium payments move no real money.",
                hint="Configure a real payment gateway adapter, or rely on offline transfer only.",
                id="payments.W001",
            )
        ]
    return []
