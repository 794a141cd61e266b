"""The guarantees API: the same services, the same refusals, as JSON with stable codes."""

import datetime

import pytest
from django.utils import timezone

from eguarantee.core.testing import assert_api_error
from eguarantee.guarantees.models import Guarantee

from .test_lifecycle import PDF

pytestmark = pytest.mark.django_db


def body(ready, **overrides):
    today = timezone.localdate()
    data = {
        "guarantee_type": "bid",
        "guarantor": ready["guarantor"].pk,
        "section": ready["section"].pk,
        "amount": "200000.00",
        "start_date": (today + datetime.timedelta(days=30)).isoformat(),
        "end_date": (today + datetime.timedelta(days=120)).isoformat(),
    }
    data.update(overrides)
    return data


def test_apply_and_move_through_the_api(ready, api_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from eguarantee.guarantees import services

    applicant, reviewer = api_for("applicant_operator"), api_for("guarantor_reviewer")
    created = applicant.post("/api/v1/guarantees/", body(ready), format="json")
    assert created.status_code == 201, created.content
    guarantee_id = created.json()["id"]
    assert created.json()["status"] == "draft" and created.json()["guarantee_type"] == "bid"
    assert_api_error(applicant.post(f"/api/v1/guarantees/{guarantee_id}/submit/"), 400, "missing_attachment")
    guarantee = Guarantee.objects.get(pk=guarantee_id)
    notice = SimpleUploadedFile("notice.pdf", PDF, content_type="application/pdf")
    services.add_attachment(guarantee, actor=ready["users"]["applicant_operator"], key="bid_notice", upload=notice)
    assert applicant.post(f"/api/v1/guarantees/{guarantee_id}/submit/").json()["status"] == "submitted"
    assert_api_error(reviewer.post(f"/api/v1/guarantees/{guarantee_id}/approve/", {}), 409, "invalid_transition")
    reviewer.post(f"/api/v1/guarantees/{guarantee_id}/accept/")
    refused = reviewer.post(f"/api/v1/guarantees/{guarantee_id}/approve/", {"rate": "3.0"}, format="json")
    assert_api_error(refused, 400, "rate_out_of_range")
    approved = reviewer.post(f"/api/v1/guarantees/{guarantee_id}/approve/", {"rate": "0.5"}, format="json")
    assert approved.json()["premium"] == "1000.00"
    paid = reviewer.post(f"/api/v1/guarantees/{guarantee_id}/confirm-payment/", {"reference": "R1"}, format="json")
    assert paid.json()["status"] == "paid"
    issued = reviewer.post(f"/api/v1/guarantees/{guarantee_id}/issue/").json()
    assert issued["status"] == "issued" and issued["number"] and len(issued["document_sha256"]) == 64
    document = applicant.get(f"/api/v1/guarantees/{guarantee_id}/document/")
    assert document.status_code == 200 and b"".join(document.streaming_content).startswith(b"%PDF")


def test_bad_applications_answer_stable_codes_and_write_nothing(ready, api_for):
    api = api_for("applicant_operator")
    assert_api_error(api.post("/api/v1/guarantees/", body(ready, amount="-1"), format="json"), 400, "invalid_amount")
    today = timezone.localdate().isoformat()
    assert_api_error(
        api.post("/api/v1/guarantees/", body(ready, end_date=today), format="json"), 400, "end_before_start"
    )
    missing = {k: v for k, v in body(ready).items() if k != "guarantor"}
    assert_api_error(api.post("/api/v1/guarantees/", missing, format="json"), 400, "validation_error")
    assert_api_error(
        api_for("guarantor_reviewer").post("/api/v1/guarantees/", body(ready), format="json"), 403, "permission_denied"
    )
    assert not Guarantee.objects.exists()
