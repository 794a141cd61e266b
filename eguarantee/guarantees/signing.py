"""The guarantor's PAdES signature on an issued guarantee (pyHanko)."""

import asyncio
import io
from concurrent.futures import ThreadPoolExecutor

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers

from eguarantee.core import pki

_signers = {}
SIGNATURE_BYTES = 8192


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
    # Room for the CMS container, given rather than estimated: pyHanko's estimate signs the
    # document a first time only to measure the result, which doubles the cost of issuing.
    # An ECDSA signature with a two-certificate chain takes about 2 KB.
    return _outside_event_loop(
        lambda: signers.sign_pdf(writer, meta, signer=signer, bytes_reserved=SIGNATURE_BYTES).getvalue()
    )


def _outside_event_loop(work):
    """pyHanko's sign_pdf starts an asyncio loop of its own, which cannot happen in a thread
    where one runs already (an ASGI server, Playwright's sync API in the browser tests):
    there, the signing moves to a thread of its own. It touches no database."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return work()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(work).result()
