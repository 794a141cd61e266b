"""SM4 sealing of stored documents (密文保函): SM4-GCM under a key from the environment.

Layout of a sealed file: b"SM4G" ‖ 12-byte nonce ‖ ciphertext ‖ 16-byte tag. GCM
authenticates, so a sealed file changed on disk fails to open instead of yielding garbage.
"""

import hashlib
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings

MAGIC = b"SM4G"


class SealError(Exception):
    pass


def _key():
    """DOCUMENT_SEAL_KEY (32 hex digits) in production; in development one derived from the
    secret key with SM3, so `make run` needs no extra setting."""
    configured = settings.DOCUMENT_SEAL_KEY
    if configured:
        return bytes.fromhex(configured)
    digest = hashes.Hash(hashes.SM3())
    digest.update(b"eguarantee-document-seal:" + settings.SECRET_KEY.encode())
    return digest.finalize()[:16]


def seal(data):
    nonce = os.urandom(12)
    encryptor = Cipher(algorithms.SM4(_key()), modes.GCM(nonce)).encryptor()
    body = encryptor.update(data) + encryptor.finalize()
    return MAGIC + nonce + body + encryptor.tag


def is_sealed(data):
    return data[:4] == MAGIC


def unseal(data):
    if not is_sealed(data) or len(data) < 4 + 12 + 16:
        raise SealError("not a sealed document")
    nonce, body, tag = data[4:16], data[16:-16], data[-16:]
    decryptor = Cipher(algorithms.SM4(_key()), modes.GCM(nonce, tag)).decryptor()
    try:
        return decryptor.update(body) + decryptor.finalize()
    except InvalidTag:
        raise SealError("sealed document altered or wrong key") from None


def key_fingerprint():
    """Which key sealed a document (never the key): for operators rotating keys."""
    return hashlib.sha256(_key()).hexdigest()[:16]
