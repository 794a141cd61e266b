"""Signed tree heads and witness co-signatures: the exact bytes signed, and SM2 over them.

Pure Python (gmssl-pyx), shared by the platform, the witnesses and the offline verifier.

A tree head is signed as a short text, in the spirit of C2SP checkpoints:

    eguarantee-evidence/v1
    <origin>                 the log's name, e.g. "eguarantee.example.org/evidence"
    <size>
    <root, base64>
    <algorithm>              sm3 or sha256
    <timestamp, ms since the epoch>

A witness co-signs "eguarantee-cosignature/v1\\n<witness name>\\n<time, ms>\\n" followed by
those same bytes, so a co-signature is bound to one head and cannot be moved to another.
Signatures are SM2 with SM3 and the default signer ID (GB/T 32918), DER, base64 in JSON.
Keys are named by key_id: the first 16 hex digits of SM3(uncompressed public key).
"""

import base64
import os
from dataclasses import dataclass
from pathlib import Path

import gmssl_pyx

HEAD_TAG = "eguarantee-evidence/v1"
COSIGN_TAG = "eguarantee-cosignature/v1"


class SignatureError(ValueError):
    pass


def b64(data):
    return base64.b64encode(data).decode("ascii")


def unb64(text):
    try:
        return base64.b64decode(text, validate=True)
    except (ValueError, TypeError) as exc:
        raise SignatureError("not base64") from exc


@dataclass(frozen=True)
class Head:
    origin: str
    size: int
    root: bytes
    algorithm: str
    timestamp: int  # milliseconds since the epoch

    def body(self):
        return (
            f"{HEAD_TAG}\n{self.origin}\n{self.size}\n{b64(self.root)}\n{self.algorithm}\n{self.timestamp}\n".encode()
        )

    def as_json(self):
        return {
            "origin": self.origin,
            "size": self.size,
            "root": b64(self.root),
            "algorithm": self.algorithm,
            "timestamp": self.timestamp,
        }

    @classmethod
    def from_json(cls, data):
        try:
            return cls(
                origin=str(data["origin"]),
                size=int(data["size"]),
                root=unb64(data["root"]),
                algorithm=str(data["algorithm"]),
                timestamp=int(data["timestamp"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise SignatureError(f"malformed tree head: {exc}") from exc


def cosign_body(head, witness, timestamp):
    return f"{COSIGN_TAG}\n{witness}\n{timestamp}\n".encode() + head.body()


# ---------------------------------------------------------------- keys


def normalize_public(public):
    """An SM2 public key as 65 bytes (04‖x‖y), from hex or bytes in any form gmssl accepts."""
    try:
        return b"\x04" + gmssl_pyx.normalize_sm2_public_key(public)
    except (gmssl_pyx.InvalidValueError, ValueError, TypeError) as exc:
        raise SignatureError("not an SM2 public key") from exc


def key_id(public):
    return gmssl_pyx.sm3_hash(normalize_public(public)).hex()[:16]


class KeyPair:
    def __init__(self, private, public):
        self.private = bytes(private)
        self.public = normalize_public(public)
        self.key_id = key_id(self.public)

    @classmethod
    def generate(cls):
        public, private = gmssl_pyx.sm2_key_generate()
        return cls(private, public)

    @classmethod
    def from_hex(cls, text):
        """'private_hex:public_hex', the form a key takes in an environment variable or file."""
        try:
            private, public = text.strip().split(":")
            return cls(bytes.fromhex(private), bytes.fromhex(public))
        except ValueError as exc:
            raise SignatureError("an SM2 key is written 'private_hex:public_hex'") from exc

    def to_hex(self):
        return f"{self.private.hex()}:{self.public.hex()}"

    @classmethod
    def load_or_create(cls, path):
        """The key in `path`, made on first use (mode 0600, never wider for a moment)."""
        path = Path(path)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            pair = cls.generate()
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:  # another process made it first
                return cls.from_hex(path.read_text())
            with os.fdopen(fd, "w") as handle:
                handle.write(pair.to_hex() + "\n")
            return pair
        return cls.from_hex(path.read_text())

    @property
    def public_hex(self):
        return self.public.hex()

    def sign(self, message):
        return gmssl_pyx.sm2_sign(self.private, self.public[1:], message)


def verify(public, message, signature):
    """Raise SignatureError unless `signature` (DER bytes) is public's SM2 signature of message."""
    try:
        ok = gmssl_pyx.sm2_verify(normalize_public(public)[1:], message, signature)
    except (gmssl_pyx.GmsslInnerError, gmssl_pyx.InvalidValueError, ValueError, TypeError):
        ok = False
    if not ok:
        raise SignatureError("SM2 signature does not verify")
