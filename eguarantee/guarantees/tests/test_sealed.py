"""密文保函: stored SM4-sealed; the guarantor and the platform open it at any time, the
beneficiary and the others after bid opening or a decryption notice."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from eguarantee.core import sealing
from eguarantee.guarantees import services

from .test_lifecycle import apply, through_payment

pytestmark = pytest.mark.django_db


@pytest.fixture
def sealed(ready):
    made = services.issue(through_payment(ready, apply(ready, sealed=True)), actor=ready["users"]["guarantor_reviewer"])
    return made


def download(client, guarantee):
    response = client.get(reverse("guarantees:guarantee_document", args=[guarantee.pk]))
    return response.status_code, b"".join(response.streaming_content) if response.status_code == 200 else b""


def test_the_stored_file_is_sealed_and_its_hashes_are_of_the_pdf(sealed):
    import hashlib

    stored = sealed.document.read()
    assert sealing.is_sealed(stored) and b"%PDF" not in stored[:64]
    opened = sealing.unseal(stored)
    assert opened.startswith(b"%PDF") and hashlib.sha256(opened).hexdigest() == sealed.document_sha256


def test_closed_to_the_beneficiary_until_bid_opening(sealed, client_for):
    assert download(client_for("guarantor_reviewer"), sealed)[1].startswith(b"%PDF")
    assert download(client_for("platform_admin"), sealed)[1].startswith(b"%PDF")
    status, _ = download(client_for("beneficiary_admin"), sealed)
    assert status == 403
    project = sealed.project
    project.bid_opening_at = timezone.now() - datetime.timedelta(minutes=1)
    project.save()
    assert download(client_for("beneficiary_admin"), sealed)[1].startswith(b"%PDF")


def test_a_decryption_notice_opens_it_early(sealed, client_for, api_for):
    response = api_for("platform_admin").post(
        f"/api/v1/guarantees/{sealed.pk}/unseal/", {"reason": "交易中心提前开标"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert download(client_for("beneficiary_admin"), sealed)[1].startswith(b"%PDF")
    again = api_for("platform_admin").post(f"/api/v1/guarantees/{sealed.pk}/unseal/", {"reason": "再次"}, format="json")
    assert again.status_code == 409 and again.json()["error"]["code"] == "not_sealed"


def test_a_sealed_file_changed_on_disk_does_not_open(sealed):
    stored = bytearray(sealed.document.read())
    stored[40] ^= 0x01
    with pytest.raises(sealing.SealError):
        sealing.unseal(bytes(stored))
