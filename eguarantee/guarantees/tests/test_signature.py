"""The guarantor's PAdES signature on an issued guarantee validates with pyHanko's own
validator, against the (demo) CA, and any change to the signed file breaks it."""

import io

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from eguarantee.core import pki
from eguarantee.core.exceptions import Conflict
from eguarantee.guarantees import services

from .test_lifecycle import apply, through_payment

pytestmark = pytest.mark.django_db


def status_of(data):
    signature = PdfFileReader(io.BytesIO(data)).embedded_signatures[0]
    return signature, validate_pdf_signature(signature, ValidationContext(trust_roots=pki.trust_roots()))


def test_the_issued_pdf_carries_a_valid_trusted_signature_of_the_guarantor(ready):
    issued = services.issue(through_payment(ready, apply(ready)), actor=ready["users"]["guarantor_reviewer"])
    data = issued.document.read()
    signature, status = status_of(data)
    assert status.intact and status.valid and status.trusted and status.bottom_line
    subject = signature.signer_cert.subject.native
    assert subject["common_name"] == ready["guarantor"].name
    assert subject["serial_number"] == ready["guarantor"].credit_code
    assert signature.field_name == "GuarantorSignature"


def test_a_changed_byte_in_the_signed_range_breaks_the_signature(ready):
    issued = services.issue(through_payment(ready, apply(ready)), actor=ready["users"]["guarantor_reviewer"])
    data = bytearray(issued.document.read())
    position = data.index(issued.number.encode("ascii")) if issued.number.encode("ascii") in data else 200
    data[position] = data[position] ^ 0x01
    _, status = status_of(bytes(data))
    assert not status.intact and not status.bottom_line


def test_without_a_certificate_outside_development_nothing_is_issued(ready, settings):
    settings.PKI_DEMO_CA = False
    paid = through_payment(ready, apply(ready))
    with pytest.raises(Conflict) as exc:
        services.issue(paid, actor=ready["users"]["guarantor_reviewer"])
    assert exc.value.code == "no_signing_certificate"
    paid.refresh_from_db()
    assert paid.number is None and not paid.document  # rolled back: no number used up


def test_signing_works_where_an_event_loop_is_running():
    """pyHanko runs asyncio.run(); under an ASGI server or Playwright's sync API a loop runs
    in the thread already, and the signing moves to a thread of its own."""
    import asyncio

    from eguarantee.guarantees.signing import _outside_event_loop

    async def inside_a_loop():
        return _outside_event_loop(lambda: asyncio.run(asyncio.sleep(0, result="signed")))

    assert asyncio.run(inside_a_loop()) == "signed"
    assert _outside_event_loop(lambda: asyncio.run(asyncio.sleep(0, result="here"))) == "here"
