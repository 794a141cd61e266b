"""围标串标 warnings: applicants on one section sharing a basic account or a legal
representative are flagged to the guarantors and the department, never to the applicants."""

import pytest

from eguarantee.accounts.choices import OrgStatus, OrgType
from eguarantee.accounts.demo import credit_code
from eguarantee.accounts.models import Organization, Role, User
from eguarantee.guarantees import services
from eguarantee.guarantees.choices import CollusionBasis
from eguarantee.guarantees.models import CollusionWarning
from eguarantee.guarantees.tests.test_lifecycle import apply
from eguarantee.notifications.models import InSiteMessage
from eguarantee.projects.models import ProjectParticipant

pytestmark = pytest.mark.django_db

ACCOUNT = "35001234567890123"


def second_bidder(ready, *, account="", legal_representative=""):
    """Another applicant firm taking part in the demo project, with one operator."""
    org = Organization.objects.create(
        name="厦门同安路桥工程有限公司",
        credit_code=credit_code("91350212", 77),
        org_type=OrgType.APPLICANT,
        region_code="350212",
        status=OrgStatus.APPROVED,
        basic_account_number=account,
        legal_representative=legal_representative,
    )
    user = User.objects.create_user(username="tongan", full_name="同安经办", organization=org, mobile="13900009999")
    user.groups.add(Role.objects.get(code="applicant_operator"))
    ProjectParticipant.objects.create(project=ready["section"].project, organization=org)
    return user


def set_first_bidder(ready, **values):
    Organization.objects.filter(pk=ready["users"]["applicant_operator"].organization_id).update(**values)


def submit(ready, actor=None):
    guarantee = apply(ready, actor=actor) if actor else apply(ready)
    return services.submit(guarantee, actor=actor or ready["users"]["applicant_operator"])


def test_a_shared_basic_account_warns_the_guarantor_and_the_department(ready, django_capture_on_commit_callbacks):
    set_first_bidder(ready, basic_account_number=ACCOUNT, legal_representative="陈一")
    first = submit(ready)
    other = second_bidder(ready, account=ACCOUNT, legal_representative="王二")
    with django_capture_on_commit_callbacks(execute=True):
        second = submit(ready, actor=other)
    warning = CollusionWarning.objects.get()
    assert (warning.guarantee, warning.other, warning.basis) == (second, first, CollusionBasis.SHARED_ACCOUNT)
    assert warning.shared_value == "3500****0123"  # the account is masked
    told = set(InSiteMessage.objects.filter(title="串标预警").values_list("recipient__username", flat=True))
    assert {"guarantor_admin", "guarantor_reviewer", "department_admin", "department_inspector"} <= told
    assert not told & {"applicant_operator", "applicant_admin", "tongan"}


def test_the_same_legal_representative_warns_too(ready):
    set_first_bidder(ready, legal_representative="陈一")
    submit(ready)
    other = second_bidder(ready, legal_representative="陈一")
    submit(ready, actor=other)
    assert list(CollusionWarning.objects.values_list("basis", "shared_value")) == [
        (CollusionBasis.SHARED_LEGAL_REPRESENTATIVE, "陈一")
    ]


def test_unrelated_bidders_and_drafts_raise_nothing(ready):
    set_first_bidder(ready, basic_account_number=ACCOUNT, legal_representative="陈一")
    apply(ready)  # a draft is not yet a bid
    other = second_bidder(ready, account="62220000111122223", legal_representative="王二")
    submit(ready, actor=other)
    assert not CollusionWarning.objects.exists()


def test_who_sees_the_warning(ready, client_for):
    set_first_bidder(ready, basic_account_number=ACCOUNT)
    first = submit(ready)
    submit(ready, actor=second_bidder(ready, account=ACCOUNT))
    page = client_for("department_inspector").get("/guarantees/collusion/")
    assert page.status_code == 200 and "共用基本账户" in page.content.decode()
    detail = client_for("guarantor_reviewer").get(f"/guarantees/{first.pk}/")
    assert "串标预警" in detail.content.decode()
    applicant = client_for("applicant_operator")
    assert applicant.get("/guarantees/collusion/").status_code == 403
    assert "串标预警" not in applicant.get(f"/guarantees/{first.pk}/").content.decode()
