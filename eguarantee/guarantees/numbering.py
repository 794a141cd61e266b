"""申请单号, 保函编号 and 验真码."""

import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Guarantee, NumberSequence

# Short letters per built-in type in 保函编号; a custom type uses its code's first letters.
TYPE_LETTERS = {"bid": "TB", "performance": "LY", "payment": "ZF", "quality": "ZL", "wage": "NM"}
# No 0/O, 1/I/L: the code is read off paper and typed in by people.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8  # 31^8 ≈ 8.5 × 10^11 codes; guessing is also rate-limited per IP


def order_number():
    """SQ + date + random digits: unique without a shared counter; retried on a clash."""
    today = timezone.localdate()
    for _ in range(5):
        candidate = f"SQ{today:%Y%m%d}{secrets.randbelow(10**8):08d}"
        if not Guarantee.objects.filter(order_number=candidate).exists():
            return candidate
    raise RuntimeError("申请单号生成失败")  # 5 clashes in 10^8: something is wrong


def verification_code():
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def _next_sequence(guarantor, year):
    try:
        with transaction.atomic():
            NumberSequence.objects.get_or_create(guarantor=guarantor, year=year)
    except IntegrityError:
        pass  # created by a concurrent issue; the lock below waits for it
    sequence = NumberSequence.objects.select_for_update().get(guarantor=guarantor, year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return sequence.last


def guarantee_number(guarantee, guarantor_code):
    """settings.GUARANTEE_NUMBER_PATTERN with {guarantor} (the guarantor's short code),
    {year}, {type} and {seq}; e.g. HXDB2026TB000128. Call inside the issuing transaction."""
    year = timezone.localdate().year
    code = guarantee.guarantee_type.code
    letters = TYPE_LETTERS.get(code, code[:2].upper())
    seq = _next_sequence(guarantee.guarantor, year)
    return settings.GUARANTEE_NUMBER_PATTERN.format(guarantor=guarantor_code, year=year, type=letters, seq=seq)
