"""Uploaded files are judged by their content, not their name."""

import hashlib

import filetype
from cryptography.hazmat.primitives import hashes
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

# extension → MIME types its content may have
DOCUMENT_TYPES = {
    "pdf": {"application/pdf"},
    "jpg": {"image/jpeg"},
    "jpeg": {"image/jpeg"},
    "png": {"image/png"},
}


def check_upload(upload, *, allowed=DOCUMENT_TYPES, max_bytes=None):
    """Raise ValidationError unless the file's bytes are one of the allowed kinds and the
    name's extension agrees with them. Returns the detected MIME type."""
    max_bytes = max_bytes or settings.UPLOAD_MAX_BYTES
    if upload.size > max_bytes:
        raise ValidationError(
            f"文件过大：{filesizeformat(upload.size)}，上限为 {filesizeformat(max_bytes)}。",
            code="file_too_large",
        )
    if upload.size == 0:
        raise ValidationError("文件为空。", code="file_empty")
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    upload.seek(0)
    kind = filetype.guess(upload.read(8192))
    upload.seek(0)
    accepted = "、".join(sorted({ext.upper() for ext in allowed}))
    if kind is None or not any(kind.mime in mimes for mimes in allowed.values()):
        raise ValidationError(f"文件内容不是允许的类型（{accepted}）。", code="file_type_not_allowed")
    if extension not in allowed or kind.mime not in allowed[extension]:
        raise ValidationError(
            f"文件扩展名“.{extension}”与文件内容（{kind.extension.upper()}）不符。",
            code="file_extension_mismatch",
        )
    return kind.mime


def file_digests(upload):
    """SM3 and SHA-256 of the stored bytes."""
    sha256 = hashlib.sha256()
    sm3 = hashes.Hash(hashes.SM3())
    upload.seek(0)
    for chunk in upload.chunks():
        sha256.update(chunk)
        sm3.update(chunk)
    upload.seek(0)
    return {"sm3": sm3.finalize().hex(), "sha256": sha256.hexdigest()}
