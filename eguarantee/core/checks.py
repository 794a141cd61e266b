from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def audit_retention_check(app_configs, **kwargs):
    if settings.AUDIT_RETENTION_DAYS < settings.AUDIT_RETENTION_MIN_DAYS:
        return [
            Error(
                f"AUDIT_RETENTION_DAYS must be at least {settings.AUDIT_RETENTION_MIN_DAYS}.",
                id="eguarantee.E001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def demo_ca_check(app_configs, **kwargs):
    """Guarantees signed by the demo CA's certificates are worthless outside development."""
    if settings.PKI_DEMO_CA:
        return [Error("PKI_DEMO_CA must be off in production (set PKI_DEMO_CA=0).", id="eguarantee.E002")]
    return []
