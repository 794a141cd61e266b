"""报送 (6.6.7): an issued guarantee is filed with the department in charge at once; the
department accepts it or returns it with a reason; the applicant sees the state and may
file again."""

import pytest
from django.urls import reverse

from eguarantee.accounts import demo
from eguarantee.accounts.choices import OrgStatus, OrgType
from eguarantee.accounts.models import Organization
from eguarantee.core.exceptions import Conflict, NotAllowed, ServiceError
from eguarantee.guarantees import services
from eguarantee.guarantees.choices import FilingStatus
from eguarantee.guarantees.models import GuaranteeEvent

from .factories import issued
from .test_lifecycle import apply, through_payment

pytestmark = pytest.mark.django_db


def test_issuing_files_with_the_department_in_charge(ready):
    made = services.issue(through_payment(ready, apply(ready)), actor=ready["users"]["guarantor_reviewer"])
    assert made.filing_status == FilingStatus.FILED
    event = GuaranteeEvent.objects.get(guarantee=made, action="file")
    assert event.data == {"department": "厦门市建设局"}


def test_the_department_accepts_or_returns_with_a_reason(demo_users, client_for):
    guarantee = issued(demo_users, filing_status=FilingStatus.FILED)
    inspector = demo_users["department_inspector"]
    with pytest.raises(ServiceError) as exc:
        services.review_filing(guarantee, actor=inspector, accept=False, reason="  ")
    assert exc.value.code == "reason_required"
    client = client_for("department_inspector")
    assert guarantee.number in client.get(reverse("guarantees:filing_list")).content.decode()
    client.post(reverse("guarantees:filing_return", args=[guarantee.pk]), {"reason": "缺少中标通知书"})
    guarantee.refresh_from_db()
    assert guarantee.filing_status == FilingStatus.RETURNED
    page = client_for("applicant_admin").get(reverse("guarantees:guarantee_detail", args=[guarantee.pk]))
    assert "已退回" in page.content.decode() and "缺少中标通知书" in page.content.decode()
    client_for("applicant_admin").post(reverse("guarantees:filing_refile", args=[guarantee.pk]), {"comment": "已补充"})
    guarantee.refresh_from_db()
    assert guarantee.filing_status == FilingStatus.FILED
    services.review_filing(guarantee, actor=inspector, accept=True)
    guarantee.refresh_from_db()
    assert guarantee.filing_status == FilingStatus.ACCEPTED
    with pytest.raises(Conflict):
        services.review_filing(guarantee, actor=inspector, accept=True)  # once
    actions = list(GuaranteeEvent.objects.filter(guarantee=guarantee).values_list("action", flat=True))
    assert actions == ["filing_returned", "file", "filing_accepted"]


def test_only_the_department_in_charge_reviews(demo_users):
    other = Organization.objects.create(
        name="泉州市住房和城乡建设局",
        credit_code=demo.credit_code("11350500", 6),
        org_type=OrgType.DEPARTMENT,
        region_code="350500",
        status=OrgStatus.APPROVED,
    )
    guarantee = issued(demo_users, filing_status=FilingStatus.FILED, department=other)
    with pytest.raises(NotAllowed):
        services.review_filing(guarantee, actor=demo_users["department_inspector"], accept=True)
    with pytest.raises(NotAllowed):
        services.refile(guarantee, actor=demo_users["beneficiary_admin"])
