"""The guarantor's PAdES signature on an issued guarantee (pyHanko)."""

import io

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers

from eguarantee.core import pki

_signers = {}


def _signer(credential):
    # Loading and parsing a key and its chain costs more than a signature; keep them per
    # process, keyed by the files (a renewed certificate is a new file).
    key = (str(credential.cert_file), credential.cert_file.stat().st_mtime_ns)
    signer = _signers.get(key)
    if signer is None:
        signer = signers.SimpleSigner.load(
            str(credential.key_file), str(credential.cert_file), ca_chain_files=(str(credential.chain_file),)
        )
        _signers[key] = signer
    return signer


def sign(pdf_bytes, guarantor, *, reason="出具电子保函"):
    """The PDF with the guarantor's signature added (an incremental update, PAdES B-B)."""
    signer = _signer(pki.credential_for(guarantor))
    meta = signers.PdfSignatureMetadata(
        field_name="GuarantorSignature",
        reason=reason,
        location=guarantor.name,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes))
    return signers.sign_pdf(writer, meta, signer=signer).getvalue()
