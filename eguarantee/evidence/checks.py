from django.conf import settings
from django.core.checks import Error, Tags, register

from .merkle import HASHES


@register(Tags.security)
def evidence_hash(app_configs, **kwargs):
    if settings.EVIDENCE_HASH not in HASHES:
        return [Error(f"EVIDENCE_HASH 须为 {'、'.join(sorted(HASHES))} 之一。", id="evidence.E001")]
    return []


@register(Tags.security, deploy=True)
def evidence_signing_key(app_configs, **kwargs):
    """A production log signs with a key its operators made and keep (never one made on the fly)."""
    if settings.DEBUG or settings.EVIDENCE_SIGNING_KEY or settings.EVIDENCE_KEY_FILE.exists():
        return []
    return [
        Error(
            "生产环境须配置证据日志签名密钥：EVIDENCE_SIGNING_KEY 或已存在的 EVIDENCE_KEY_FILE。",
            hint="python -c 'from eguarantee.evidence.signing import KeyPair; print(KeyPair.generate().to_hex())'",
            id="evidence.E002",
        )
    ]
