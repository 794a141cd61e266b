"""Payment gateways. The platform talks to one through the interface in base.py; which one is
a setting (PAYMENT_GATEWAY, default "sandbox"), so a real acquirer is one more adapter."""

from django.conf import settings
from django.utils.module_loading import import_string

from eguarantee.core.exceptions import ServiceError

BUILTIN = {"sandbox": "eguarantee.payments.gateways.sandbox.SandboxGateway"}


def get_gateway(code=None):
    code = code or getattr(settings, "PAYMENT_GATEWAY", "sandbox")
    if not code:  # production without an acquirer: premiums come by transfer
        raise ServiceError("平台未开通在线支付，请线下转账并上传付款凭证。", code="online_payment_disabled")
    classes = {**BUILTIN, **getattr(settings, "PAYMENT_GATEWAY_CLASSES", {})}
    if code not in classes:
        raise ServiceError(f"未配置的支付渠道：{code}", code="unknown_gateway")
    return import_string(classes[code])()
