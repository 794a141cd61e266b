from django.conf import settings
from django.core.checks import Error, Tags, register

from .merkle import HASHES


@register(Tags.security)
def evidence_settings(app_configs, **kwargs):
    problems = []
    if settings.EVIDENCE_HASH not in HASHES:
        problems.append(Error(f"EVIDENCE_HASH 须为 {'、'.join(sorted(HASHES))} 之一。", id="evidence.E001"))
    if not settings.DEBUG and not settings.EVIDENCE_SIGNING_KEY and not settings.EVIDENCE_KEY_FILE.exists():
        problems.append(
            Error(
                "生产环境须配置证据日志签名密钥：EVIDENCE_SIGNING_KEY 或已存在的 EVIDENCE_KEY_FILE。",
                hint="python -c 'from eguarantee.evidence.signing import KeyPair; print(KeyPair.generate().to_hex())'",
                id="evidence.E002",
            )
        )
    return problems
