"""/api/v1/guarantors/, /api/v1/guarantor-qualifications/, /api/v1/guarantor-offers/,
/api/v1/guarantor-clauses/: scope, error codes, and nothing written on refusal."""

from datetime import timedelta

import pytest

from eguarantee.core.testing import assert_api_error
from eguarantee.guarantors.models import Clause, GuarantorProfile, Offer, Qualification

from .helpers import clause_for, offer_for, pdf, qualification_for, ready_guarantor, second_guarantor, today

pytestmark = pytest.mark.django_db


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def offer_body(**overrides):
    body = {
        "guarantee_type": "bid",
        "regions": ["350000"],
        "rate_min": "0.5000",
        "rate_max": "1.0000",
        "min_premium": "300.00",
        "max_single_amount": "5000000.00",
        "total_capacity": "100000000.00",
        "turnaround_hours": 4,
    }
    body.update(overrides)
    return body


def test_profile_create_and_scope(demo_users, api_for):
    org = demo_users["guarantor_admin"].organization
    body = {
        "organization": org.pk,
        "institution_type": "insurer",
        "registered_capital": "300000000.00",
        "legal_representative": "张保",
        "service_hotline": "95500",
        "short_code": "pa01",
    }
    response = api_for("guarantor_admin").post("/api/v1/guarantors/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["short_code"] == "PA01" and response.json()["organization_name"] == org.name
    profile = GuarantorProfile.objects.get()
    other = second_guarantor()
    assert ids(api_for("guarantor_admin").get("/api/v1/guarantors/")) == {profile.pk}
    assert ids(api_for("applicant_admin").get("/api/v1/guarantors/")) == {profile.pk, other.guarantor_profile.pk}
    assert_api_error(
        api_for("guarantor_admin").get(f"/api/v1/guarantors/{other.guarantor_profile.pk}/"), 403, "permission_denied"
    )
    assert_api_error(api_for("guarantor_admin").get("/api/v1/guarantors/987654/"), 404, "not_found")
    assert_api_error(
        api_for("guarantor_admin").patch(f"/api/v1/guarantors/{profile.pk}/", {"short_code": "ZZ9"}, format="json"),
        403,
        "field_locked",
    )


def test_qualification_upload_and_expired_refusal(demo_users, api_for, guarantor):
    api = api_for("guarantor_admin")
    body = {
        "kind": "financing_guarantee_licence",
        "licence_number": "闽融担00123",
        "issuing_body": "福建省地方金融监督管理局",
        "valid_from": (today() - timedelta(days=700)).isoformat(),
        "valid_to": (today() - timedelta(days=1)).isoformat(),
        "certificate": pdf(),
    }
    assert_api_error(
        api.post("/api/v1/guarantor-qualifications/", body, format="multipart"), 400, "qualification_expired"
    )
    body["certificate"] = pdf()
    body["valid_to"] = (today() + timedelta(days=10)).isoformat()
    bad_period = {**body, "valid_to": body["valid_from"], "certificate": pdf()}
    assert_api_error(
        api.post("/api/v1/guarantor-qualifications/", bad_period, format="multipart"), 400, "invalid_validity_period"
    )
    assert not Qualification.objects.exists()
    response = api.post("/api/v1/guarantor-qualifications/", body, format="multipart")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["guarantor"] == guarantor.pk and data["status"] == "expiring" and data["status_display"] == "即将到期"
    assert len(data["certificate_sha256"]) == 64 and data["certificate_url"].endswith("/certificate/")
    assert ids(api.get("/api/v1/guarantor-qualifications/?expiry=expiring")) == {data["id"]}
    assert ids(api.get("/api/v1/guarantor-qualifications/?expiry=expired")) == set()
    assert_api_error(api_for("applicant_admin").get("/api/v1/guarantor-qualifications/"), 403, "permission_denied")


def test_offer_errors_quote_and_region_filter(demo_users, api_for, guarantor):
    api = api_for("guarantor_admin")
    for body, code in [
        (offer_body(rate_min="2.0000"), "rate_range_invalid"),
        (offer_body(min_premium="-1"), "negative_value"),
        (offer_body(turnaround_hours=-2), "negative_value"),
        (offer_body(regions=["123456"]), "unknown_region_code"),
        (offer_body(regions=[]), "regions_required"),
        (offer_body(guarantee_type="nope"), "validation_error"),
    ]:
        assert_api_error(api.post("/api/v1/guarantor-offers/", body, format="json"), 400, code)
    assert not Offer.objects.exists()
    response = api.post("/api/v1/guarantor-offers/", offer_body(), format="json")
    assert response.status_code == 201, response.content
    offer_id = response.json()["id"]
    assert_api_error(api.post("/api/v1/guarantor-offers/", offer_body(), format="json"), 409, "duplicate_offer")
    quote = api.get(f"/api/v1/guarantor-offers/{offer_id}/quote/?amount=1000000").json()
    assert quote == {"amount": "1000000.00", "rate": "0.5000", "premium": "5000.00"}
    assert_api_error(
        api.get(f"/api/v1/guarantor-offers/{offer_id}/quote/?amount=9000000"), 400, "amount_exceeds_single_limit"
    )
    assert ids(api_for("applicant_admin").get("/api/v1/guarantor-offers/?region=350203")) == {offer_id}
    assert ids(api_for("applicant_admin").get("/api/v1/guarantor-offers/?region=440300")) == set()
    patched = api.patch(f"/api/v1/guarantor-offers/{offer_id}/", {"rate_max": "0.1000"}, format="json")
    assert_api_error(patched, 400, "rate_range_invalid")
    assert str(Offer.objects.get().rate_max) == "1.0000"


def test_other_guarantor_cannot_write_through_the_api(demo_users, api_for, guarantor):
    other = second_guarantor()
    theirs = offer_for(other)
    api = api_for("guarantor_admin")
    assert_api_error(
        api.patch(f"/api/v1/guarantor-offers/{theirs.pk}/", {"enabled": False}, format="json"), 403, "permission_denied"
    )
    assert_api_error(api.delete(f"/api/v1/guarantor-offers/{theirs.pk}/"), 403, "permission_denied")
    assert_api_error(
        api.post("/api/v1/guarantor-offers/", offer_body(guarantor=other.pk, guarantee_type="quality"), format="json"),
        403,
        "permission_denied",
    )
    theirs.refresh_from_db()
    assert theirs.enabled and not Offer.objects.filter(guarantor=other, guarantee_type__code="quality").exists()


def test_clause_publish_revise_and_overlap(demo_users, api_for, guarantor):
    api = api_for("guarantor_admin")
    body = {"guarantee_type": "bid", "title": "投标条款", "body": "第一条", "effective_from": today().isoformat()}
    created = api.post("/api/v1/guarantor-clauses/", body, format="json")
    assert created.status_code == 201, created.content
    clause_id = created.json()["id"]
    assert api.post(f"/api/v1/guarantor-clauses/{clause_id}/publish/").json()["in_force"] is True
    assert_api_error(api.post(f"/api/v1/guarantor-clauses/{clause_id}/publish/"), 409, "clause_not_draft")
    start = (today() + timedelta(days=3)).isoformat()
    revised = api.patch(
        f"/api/v1/guarantor-clauses/{clause_id}/", {"body": "修订", "effective_from": start}, format="json"
    )
    assert revised.status_code == 201 and revised.json()["version"] == 2 and revised.json()["supersedes"] == clause_id
    bounded = {**body, "effective_from": "2040-01-01", "effective_to": "2040-12-31"}
    bounded_id = api.post("/api/v1/guarantor-clauses/", bounded, format="json").json()["id"]
    api.post(f"/api/v1/guarantor-clauses/{bounded_id}/publish/")
    before = Clause.objects.count()
    assert_api_error(
        api.post(
            "/api/v1/guarantor-clauses/",
            {**body, "effective_from": "2040-06-01", "effective_to": "2040-06-30"},
            format="json",
        ),
        400,
        "clause_overlap",
    )
    assert_api_error(api.delete(f"/api/v1/guarantor-clauses/{clause_id}/"), 409, "clause_in_use")
    assert Clause.objects.count() == before


def test_selectable_endpoint(demo_users, api_for):
    org = ready_guarantor(demo_users["guarantor_admin"].organization)
    api = api_for("applicant_operator")
    rows = api.get("/api/v1/guarantors/selectable/?guarantee_type=bid&region_code=350203&amount=100000").json()
    assert [row["name"] for row in rows] == [org.name]
    assert api.get("/api/v1/guarantors/selectable/?guarantee_type=bid&region_code=440300").json() == []
    assert_api_error(api.get("/api/v1/guarantors/selectable/?amount=abc"), 400, "validation_error")
    Qualification.objects.update(valid_to=today() - timedelta(days=1))
    assert api.get("/api/v1/guarantors/selectable/?guarantee_type=bid").json() == []


def test_public_sees_no_drafts_through_the_api(api_for, guarantor):
    draft = clause_for(guarantor)
    published = clause_for(guarantor, status="published")
    qualification_for(guarantor)
    assert ids(api_for("beneficiary_operator").get("/api/v1/guarantor-clauses/")) == {published.pk}
    assert_api_error(
        api_for("beneficiary_operator").get(f"/api/v1/guarantor-clauses/{draft.pk}/"), 403, "permission_denied"
    )
    assert ids(api_for("guarantor_reviewer").get("/api/v1/guarantor-clauses/")) == {draft.pk, published.pk}


def test_out_of_range_hours_is_a_clear_error(api_for, guarantor):
    response = api_for("guarantor_admin").post(
        "/api/v1/guarantor-offers/", offer_body(turnaround_hours=2**40), format="json"
    )
    assert_api_error(response, 400, "out_of_range")
    assert not Offer.objects.exists()
