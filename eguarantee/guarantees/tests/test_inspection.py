"""电子保函查验 (6.3.3): department staff check a guarantee's authenticity and status against
the platform's record; every check is recorded; searches stay inside the jurisdiction."""

import pytest
from django.urls import reverse

from eguarantee.accounts import demo
from eguarantee.accounts.choices import OrgStatus, OrgType
from eguarantee.accounts.models import Organization
from eguarantee.core.exceptions import NotAllowed, ServiceError
from eguarantee.core.testing import assert_api_error
from eguarantee.guarantees import services
from eguarantee.guarantees.choices import GuaranteeStatus, InspectionResult
from eguarantee.guarantees.models import Inspection

from .factories import issued

pytestmark = pytest.mark.django_db


def check(client, **data):
    return client.post(reverse("guarantees:inspect"), data)


def test_number_and_code_of_a_guarantee_in_force(demo_users, client_for):
    guarantee = issued(demo_users)
    response = check(client_for("department_inspector"), number=guarantee.number, code=guarantee.verification_code)
    page = response.content.decode()
    assert response.status_code == 200
    assert "查验结果：真实有效" in page and guarantee.number in page and "厦门鹭江建设工程有限公司" in page
    record = Inspection.objects.get()
    assert record.inspector == demo_users["department_inspector"] and record.guarantee == guarantee
    assert record.result == InspectionResult.GENUINE and record.status_seen == GuaranteeStatus.ISSUED
    assert record.query == {"number": guarantee.number, "code": guarantee.verification_code}


def test_a_wrong_code_is_reported_and_recorded(demo_users, client_for):
    guarantee = issued(demo_users)
    page = check(client_for("department_inspector"), number=guarantee.number, code="WRONG123").content.decode()
    assert "验真码不符" in page and "可能系伪造" in page
    assert guarantee.applicant.name not in page  # nothing about the real guarantee
    assert Inspection.objects.get().result == InspectionResult.MISMATCH


@pytest.mark.parametrize(
    ("status", "end_in_days", "label"),
    [
        (GuaranteeStatus.RELEASED, 90, "真实但已失效"),
        (GuaranteeStatus.SURRENDERED, 90, "真实但已失效"),
        (GuaranteeStatus.ISSUED, -1, "真实但已失效"),
    ],
)
def test_released_surrendered_or_expired_guarantees_are_genuine_but_not_in_force(
    demo_users, client_for, status, end_in_days, label
):
    guarantee = issued(demo_users, status=status, end_in_days=end_in_days)
    page = check(client_for("department_admin"), number=guarantee.number, code=guarantee.verification_code)
    assert f"查验结果：{label}" in page.content.decode()


def test_unknown_numbers_and_applications_not_yet_issued_are_not_found(demo_users, client_for):
    pending = issued(demo_users, status=GuaranteeStatus.UNDER_REVIEW)
    client = client_for("department_inspector")
    assert "查验结果：未找到" in check(client, number="NOSUCH001", code="ABCD").content.decode()
    assert "查验结果：未找到" in check(client, number=pending.number, code=pending.verification_code).content.decode()
    assert list(Inspection.objects.values_list("result", flat=True)) == ["not_found", "not_found"]


def test_searches_by_project_or_applicant_stay_in_the_jurisdiction(demo_users, client_for):
    ours = issued(demo_users)
    other_department = Organization.objects.create(
        name="泉州市住房和城乡建设局",
        credit_code=demo.credit_code("11350500", 5),
        org_type=OrgType.DEPARTMENT,
        region_code="350500",
        status=OrgStatus.APPROVED,
    )
    theirs = issued(demo_users, department=other_department)
    client = client_for("department_inspector")
    page = check(client, project="XMJS-2026-0001").content.decode()
    assert ours.number in page and theirs.number not in page
    page = check(client, applicant="厦门鹭江").content.decode()
    assert ours.number in page and theirs.number not in page
    # without the code, a number outside the jurisdiction finds nothing
    assert "查验结果：未找到" in check(client, number=theirs.number).content.decode()
    # with the code, the holder's guarantee is checked wherever it is filed
    assert "真实有效" in check(client, number=theirs.number, code=theirs.verification_code).content.decode()


def test_an_empty_query_is_refused_and_not_recorded(demo_users, client_for):
    response = check(client_for("department_inspector"), code="ABCD")
    assert response.status_code == 400 and "请输入保函编号" in response.content.decode()
    with pytest.raises(ServiceError) as exc:
        services.inspect(actor=demo_users["department_inspector"], code="  ")
    assert exc.value.code == "empty_query"
    assert not Inspection.objects.exists()


def test_only_department_staff_inspect(demo_users):
    with pytest.raises(NotAllowed):
        services.inspect(actor=demo_users["applicant_admin"], number="X")


def test_records_are_read_per_organization(demo_users, client_for):
    guarantee = issued(demo_users)
    check(client_for("department_inspector"), number=guarantee.number, code=guarantee.verification_code)
    page = client_for("department_admin").get(reverse("guarantees:inspection_list")).content.decode()
    assert "真实有效" in page and "******" in page  # the code is not repeated in the log
    assert "真实有效" in client_for("platform_auditor").get(reverse("guarantees:inspection_list")).content.decode()


def test_api_inspection(demo_users, api_for):
    guarantee = issued(demo_users)
    api = api_for("department_inspector")
    response = api.post(
        "/api/v1/inspections/", {"number": guarantee.number, "code": guarantee.verification_code}, format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["result"] == "genuine" and body["guarantees"][0]["number"] == guarantee.number
    assert body["guarantees"][0]["in_force"] is True
    assert_api_error(api.post("/api/v1/inspections/", {"code": "X"}, format="json"), 400, "empty_query")
    assert_api_error(
        api_for("applicant_admin").post("/api/v1/inspections/", {"number": "X"}, format="json"),
        403,
        "permission_denied",
    )
    assert [row["result"] for row in api.get("/api/v1/inspections/").json()["results"]] == ["genuine"]
