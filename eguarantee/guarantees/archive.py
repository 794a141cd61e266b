"""报备 (6.6.6): everything submitted or produced for a guarantee, in one zip with a manifest
of hashes (SM3 and SHA-256 of every file) that anyone can check the files against."""

import io
import json
import zipfile

from django.utils import timezone

from .services import document_bytes, may_open_document


def name(guarantee):
    return f"{guarantee.number or guarantee.order_number}-archive.zip"


def _read(stored):
    with stored.open("rb") as handle:
        return handle.read()


def _entries(guarantee, user):
    """(path in the zip, bytes, source, recorded sm3, recorded sha256). A sealed guarantee
    the user may not open yet is left out; the manifest says so."""
    if guarantee.document and may_open_document(guarantee, user):
        data = document_bytes(guarantee, user=user)
        yield f"保函/{guarantee.number}.pdf", data, "出具的电子保函", guarantee.document_sm3, guarantee.document_sha256
    for item in guarantee.attachments.all():
        yield f"申请附件/{item.pk}-{item.original_name}", _read(item.file), item.label, item.sm3, item.sha256
    if guarantee.project_id:
        for item in guarantee.project.documents.all():
            label = item.get_doc_type_display()
            yield f"项目资料/{item.pk}-{item.original_name}", _read(item.file), label, item.sm3, item.sha256


def bundle(guarantee, *, user):
    buffer = io.BytesIO()
    manifest = {
        "guarantee": {
            "order_number": guarantee.order_number,
            "number": guarantee.number,
            "status": guarantee.status,
            "type": guarantee.guarantee_type.code,
            "applicant": guarantee.applicant.name,
            "guarantor": guarantee.guarantor.name if guarantee.guarantor else None,
            "beneficiary": guarantee.beneficiary_name,
            "amount": str(guarantee.amount),
        },
        "generated_at": timezone.now().isoformat(),
        "sealed_document_withheld": bool(guarantee.document) and not may_open_document(guarantee, user),
        "files": [],
    }
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data, source, sm3, sha256 in _entries(guarantee, user):
            archive.writestr(path, data)
            manifest["files"].append({"path": path, "source": source, "size": len(data), "sm3": sm3, "sha256": sha256})
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
    return buffer.getvalue()
