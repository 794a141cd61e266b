"""The platform's tree-head signing key.

From EVIDENCE_SIGNING_KEY ('private_hex:public_hex') or the file EVIDENCE_KEY_FILE; with
DEBUG on, the file is made on first use. Rotating: put the new key in place; the first head
it signs records it and retires the old one, whose public key stays published."""

from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from .models import SigningKey
from .signing import KeyPair, SignatureError


@cache
def _load(inline, path, create):
    if inline:
        return KeyPair.from_hex(inline)
    if create:
        return KeyPair.load_or_create(path)
    try:
        return KeyPair.from_hex(open(path).read())
    except OSError as exc:
        raise ImproperlyConfigured(f"证据日志签名密钥文件 {path} 无法读取：{exc}") from exc


def current():
    try:
        return _load(settings.EVIDENCE_SIGNING_KEY, str(settings.EVIDENCE_KEY_FILE), settings.DEBUG)
    except SignatureError as exc:
        raise ImproperlyConfigured(f"证据日志签名密钥格式错误：{exc}") from exc


def clear_cache():
    _load.cache_clear()


@transaction.atomic
def register(pair):
    """Record the signing key in use; the first head a new key signs retires the others."""
    row, created = SigningKey.objects.get_or_create(key_id=pair.key_id, defaults={"public_key": pair.public_hex})
    if created:
        SigningKey.objects.exclude(pk=row.pk).filter(retired_at__isnull=True).update(retired_at=timezone.now())
    return row


def public_key(key_id):
    row = SigningKey.objects.filter(key_id=key_id).first()
    return row.public_key if row else None
