"""The projects API: create (409 project_exists with the id to join), join, edit and lock,
error codes for bad input with nothing written, scope, document upload by multipart."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from eguarantee.accounts import demo
from eguarantee.accounts.choices import OrgType
from eguarantee.core.testing import assert_api_error
from eguarantee.notifications.models import SmsMessage
from eguarantee.projects import services
from eguarantee.projects.models import BeneficiaryInvitation, Project, ProjectDocument, ProjectParticipant, Section

from .factories import PDF, make_document, make_org, make_project, shared_project

pytestmark = pytest.mark.django_db

LIST = reverse("api:project-list")


def payload(users, **overrides):
    body = {
        "number": "E3502110001202611001",
        "name": "集美区学校新建工程",
        "project_type": "building",
        "region_code": "350206",
        "beneficiary": users["beneficiary_admin"].organization.pk,
        "contract_estimate": "8000000.00",
        "total_investment": "9000000.00",
        "bid_opening_at": (timezone.now() + timedelta(days=25)).isoformat(),
        "bid_validity_days": 120,
        "sections": [
            {"number": "S1", "name": "施工一标", "bid_bond_amount": "80000.00"},
            {"number": "S2", "name": "施工二标", "bid_bond_amount": "60000.00"},
        ],
    }
    body.update(overrides)
    return body


def snapshot():
    return tuple(
        m.objects.count()
        for m in (Project, Section, ProjectParticipant, BeneficiaryInvitation, ProjectDocument, SmsMessage)
    )


def test_create_and_read(demo_users, api_for):
    api = api_for("applicant_operator")
    response = api.post(LIST, payload(demo_users), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["number"] == "E3502110001202611001" and body["source"] == "manual"
    assert body["region_name"] == "福建省厦门市湖里区"
    assert [s["number"] for s in body["sections"]] == ["S1", "S2"]
    assert body["created_by"] == demo_users["applicant_operator"].organization_id
    assert body["participants"][0]["organization"] == demo_users["applicant_operator"].organization_id
    assert api.get(reverse("api:project-detail", args=[body["id"]])).json()["name"] == "集美区学校新建工程"
    sections = api_for("beneficiary_admin").get(reverse("api:project-section-list"), {"project": body["id"]}).json()
    assert sorted(s["bid_bond_amount"] for s in sections["results"]) == ["60000.00", "80000.00"]


def test_same_number_answers_409_with_existing_id_then_join(demo_users, api_for):
    existing = make_project(make_org(OrgType.APPLICANT), number="E-DUP-1", name="已录入的项目")
    api = api_for("applicant_admin")
    before = snapshot()
    body = assert_api_error(api.post(LIST, payload(demo_users, number="e-dup-1"), format="json"), 409, "project_exists")
    assert body["error"]["details"]["project_id"] == existing.pk
    assert body["error"]["message"] == "该项目编号已存在：已录入的项目"
    assert snapshot() == before
    assert api.get(reverse("api:project-detail", args=[existing.pk])).status_code == 403

    joined = api.post(reverse("api:project-join", args=[existing.pk]))
    assert joined.status_code == 201 and joined.json()["joined"] is True
    assert joined.json()["project"]["id"] == existing.pk
    again = api_for("applicant_operator").post(reverse("api:project-join", args=[existing.pk]))
    assert again.status_code == 200 and again.json()["joined"] is False
    ids = [row["id"] for row in api.get(LIST).json()["results"]]
    assert existing.pk in ids
    assert_api_error(
        api_for("beneficiary_admin").post(reverse("api:project-join", args=[existing.pk])), 403, "permission_denied"
    )


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"bid_opening_at": (timezone.now() - timedelta(hours=1)).isoformat()}, "bid_opening_in_past"),
        ({"sections": [{"number": "S1", "name": "一标", "bid_bond_amount": "0"}]}, "invalid_amount"),
        ({"sections": [{"number": "S1", "name": "一标", "bid_bond_amount": "-1"}]}, "invalid_amount"),
        (
            {
                "sections": [
                    {"number": "S1", "name": "一标", "bid_bond_amount": "1"},
                    {"number": "s1", "name": "二", "bid_bond_amount": "2"},
                ]
            },
            "duplicate_section_number",
        ),
        ({"sections": []}, "sections_required"),
        ({"region_code": "350299"}, "unknown_region_code"),
        ({"region_code": "abc"}, "invalid_region_code"),
        (
            {"beneficiary": None, "beneficiary_name": "某招标人", "beneficiary_credit_code": "913502001234567890"},
            "invalid_credit_code",
        ),
    ],
)
def test_bad_input_codes_and_nothing_written(demo_users, api_for, overrides, code):
    before = snapshot()
    assert_api_error(api_for("applicant_admin").post(LIST, payload(demo_users, **overrides), format="json"), 400, code)
    assert snapshot() == before


def test_invitation_through_api(demo_users, api_for):
    code = demo.credit_code("91350205", 888001)
    body = payload(
        demo_users,
        beneficiary=None,
        beneficiary_name="未注册招标人",
        beneficiary_credit_code=code,
        invite_mobile="13655556666",
    )
    project_id = api_for("applicant_admin").post(LIST, body, format="json").json()["id"]
    invitation = BeneficiaryInvitation.objects.get(project_id=project_id)
    assert invitation.mobile == "13655556666"
    assert SmsMessage.objects.filter(mobile="13655556666", purpose="beneficiary_invitation").count() == 1


def test_patch_sections_and_lock(demo_users, api_for):
    api = api_for("applicant_admin")
    created = api.post(LIST, payload(demo_users), format="json").json()
    url = reverse("api:project-detail", args=[created["id"]])
    s1 = next(s for s in created["sections"] if s["number"] == "S1")
    response = api.patch(
        url,
        {"sections": [{"id": s1["id"], "number": "S1", "name": "施工一标（改）", "bid_bond_amount": "1.00"}]},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert [(s["id"], s["name"]) for s in response.json()["sections"]] == [(s1["id"], "施工一标（改）")]
    services.lock_project(Project.objects.get(pk=created["id"]), reason="投标保函已出具")
    assert_api_error(api.patch(url, {"name": "锁定后改名"}, format="json"), 409, "project_locked")
    assert_api_error(api.delete(url), 409, "project_locked")
    assert Project.objects.get(pk=created["id"]).name == "集美区学校新建工程"
    admin = api_for("platform_admin").patch(url, {"name": "平台更正"}, format="json")
    assert admin.status_code == 200 and admin.json()["is_locked"] is True


def test_scope_of_lists(demo_users, api_for):
    mine = shared_project(demo_users)
    theirs = make_project(make_org(OrgType.APPLICANT))
    make_document(theirs, theirs.created_by)
    for role in ("applicant_operator", "beneficiary_operator", "department_admin"):
        api = api_for(role)
        assert [row["id"] for row in api.get(LIST).json()["results"]] == [mine.pk], role
        assert api.get(reverse("api:project-document-list")).json()["results"] == [], role
        assert {row["project"] for row in api.get(reverse("api:project-section-list")).json()["results"]} == {mine.pk}
    all_ids = {row["id"] for row in api_for("platform_admin").get(LIST).json()["results"]}
    assert {mine.pk, theirs.pk} <= all_ids
    assert_api_error(
        api_for("applicant_admin").patch(reverse("api:project-detail", args=[theirs.pk]), {"name": "x"}, format="json"),
        403,
        "permission_denied",
    )
    assert_api_error(api_for("applicant_admin").get(reverse("api:project-detail", args=[987654])), 404, "not_found")


def test_document_upload_by_multipart(demo_users, api_for):
    project = shared_project(demo_users)
    api = api_for("applicant_admin")
    url = reverse("api:project-document-list")
    response = api.post(
        url,
        {"project": project.pk, "doc_type": "tender_notice", "file": SimpleUploadedFile("公告.pdf", PDF)},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["content_type"] == "application/pdf" and len(body["sm3"]) == 64 and body["original_name"] == "公告.pdf"
    download = api_for("beneficiary_admin").get(reverse("api:project-document-download", args=[body["id"]]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF

    theirs = make_project(make_org(OrgType.APPLICANT))
    before = snapshot()
    mismatch = api.post(
        url,
        {"project": project.pk, "doc_type": "contract", "file": SimpleUploadedFile("合同.docx", PDF)},
        format="multipart",
    )
    assert_api_error(mismatch, 400, "file_extension_mismatch")
    foreign = api.post(
        url,
        {"project": theirs.pk, "doc_type": "contract", "file": SimpleUploadedFile("a.pdf", PDF)},
        format="multipart",
    )
    assert_api_error(foreign, 403, "permission_denied")
    assert snapshot() == before


def test_oversized_document_via_api(demo_users, api_for, monkeypatch):
    monkeypatch.setattr(services, "DOCUMENT_MAX_BYTES", 100)
    project = shared_project(demo_users)
    before = snapshot()
    response = api_for("applicant_admin").post(
        reverse("api:project-document-list"),
        {"project": project.pk, "doc_type": "contract", "file": SimpleUploadedFile("a.pdf", PDF + b" " * 200)},
        format="multipart",
    )
    assert_api_error(response, 400, "file_too_large")
    assert snapshot() == before


def test_schema_renders_without_warnings(demo_users, api_for, capsys):
    response = api_for("platform_admin").get("/api/schema/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "/api/v1/projects/{id}/join/" in text and "/api/v1/project-documents/" in text
    captured = capsys.readouterr()
    assert "projects" not in (captured.err + captured.out).lower()
