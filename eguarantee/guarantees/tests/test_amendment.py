"""保函变更: the applicant asks, the guarantor agrees, the beneficiary accepts; a new signed
version is issued under the same number, the old one kept and marked superseded."""

import datetime
import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from eguarantee.core.exceptions import Conflict, NotAllowed, ServiceError
from eguarantee.guarantees import services
from eguarantee.guarantees.choices import AmendmentStatus, FilingStatus
from eguarantee.guarantees.models import Amendment, Guarantee, GuaranteeDocument, GuaranteeEvent

from .test_lifecycle import apply, through_payment
from .test_signature import status_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(ready):
    return services.issue(through_payment(ready, apply(ready)), actor=ready["users"]["guarantor_reviewer"])


def text_of(data):
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def request(ready, guarantee, **values):
    values.setdefault("reason", "合同工期顺延")
    return services.request_amendment(guarantee, actor=ready["users"]["applicant_operator"], **values)


def test_an_accepted_amendment_issues_a_new_signed_version(ready, issued):
    users = ready["users"]
    new_end = issued.end_date + datetime.timedelta(days=60)
    amendment = request(ready, issued, new_amount=Decimal("300000.00"), new_end_date=new_end)
    assert amendment.status == AmendmentStatus.REQUESTED and amendment.sequence == 1
    services.decide_amendment(
        amendment, actor=users["guarantor_reviewer"], approve=True, additional_premium=Decimal("600.00")
    )
    services.answer_amendment(amendment, actor=users["beneficiary_operator"], accept=True)
    guarantee = Guarantee.objects.get(pk=issued.pk)
    assert (guarantee.amount, guarantee.outstanding_amount, guarantee.end_date) == (
        Decimal("300000.00"),
        Decimal("300000.00"),
        new_end,
    )
    assert guarantee.number == issued.number and guarantee.verification_code == issued.verification_code
    first, second = GuaranteeDocument.objects.filter(guarantee=guarantee).order_by("version")
    assert first.superseded_at is not None and second.superseded_at is None
    assert first.sha256 == issued.document_sha256 and second.sha256 == guarantee.document_sha256 != first.sha256
    assert second.amendment_id == amendment.pk and second.amount == Decimal("300000.00")
    new_pdf = guarantee.document.read()
    assert "人民币叁拾万元整" in text_of(new_pdf)
    assert "人民币贰拾万元整" in text_of(first.file.read())  # the old version is kept as it was
    _, status = status_of(new_pdf)
    assert status.intact and status.valid and status.trusted
    assert Amendment.objects.get().status == AmendmentStatus.EFFECTIVE
    assert guarantee.filing_status == FilingStatus.FILED  # the department gets the new version
    actions = list(GuaranteeEvent.objects.filter(guarantee=guarantee).values_list("action", flat=True))
    assert actions[-4:] == ["amend_request", "amend_approve", "amend_accept", "file"]


def test_refused_or_declined_amendments_change_nothing(ready, issued):
    users = ready["users"]
    first = request(ready, issued, new_end_date=issued.end_date + datetime.timedelta(days=30))
    with pytest.raises(ServiceError) as error:
        services.decide_amendment(first, actor=users["guarantor_reviewer"], approve=False)
    assert error.value.code == "reason_required"
    services.decide_amendment(first, actor=users["guarantor_reviewer"], approve=False, comment="工期已超出承保范围")
    second = request(ready, issued, new_end_date=issued.end_date + datetime.timedelta(days=10))
    assert second.sequence == 2
    services.decide_amendment(second, actor=users["guarantor_reviewer"], approve=True)
    services.answer_amendment(second, actor=users["beneficiary_operator"], accept=False, comment="不同意延期")
    guarantee = Guarantee.objects.get(pk=issued.pk)
    assert guarantee.end_date == issued.end_date and guarantee.document_sha256 == issued.document_sha256
    assert GuaranteeDocument.objects.filter(guarantee=guarantee).count() == 1
    assert list(Amendment.objects.order_by("sequence").values_list("status", flat=True)) == [
        AmendmentStatus.REFUSED,
        AmendmentStatus.DECLINED,
    ]


@pytest.mark.parametrize(
    ("values", "code"),
    [
        ({}, "nothing_changed"),
        ({"reason": " "}, "reason_required"),
        ({"new_amount": Decimal("0")}, "invalid_amount"),
        ({"new_amount": Decimal("6000000.00")}, "over_capacity"),  # above the single limit
        ({"new_end_date": datetime.date(2020, 1, 1)}, "end_before_start"),
    ],
)
def test_bad_requests_are_refused_and_write_nothing(ready, issued, values, code):
    values.setdefault("reason", "调整")
    with pytest.raises(ServiceError) as error:
        services.request_amendment(issued, actor=ready["users"]["applicant_operator"], **values)
    assert error.value.code == code
    assert not Amendment.objects.exists()
    assert not GuaranteeEvent.objects.filter(action="amend_request").exists()


def test_one_amendment_at_a_time_and_only_by_the_right_party(ready, issued):
    users = ready["users"]
    amendment = request(ready, issued, new_end_date=issued.end_date + datetime.timedelta(days=5))
    with pytest.raises(Conflict) as error:
        request(ready, issued, new_end_date=issued.end_date + datetime.timedelta(days=9))
    assert error.value.code == "amendment_open"
    with pytest.raises(NotAllowed):  # the beneficiary answers only after the guarantor agreed … and not as guarantor
        services.decide_amendment(amendment, actor=users["beneficiary_operator"], approve=True)
    with pytest.raises(Conflict):  # not yet approved
        services.answer_amendment(amendment, actor=users["beneficiary_operator"], accept=True)
    services.withdraw_amendment(amendment, actor=users["applicant_operator"])
    assert Amendment.objects.get().status == AmendmentStatus.WITHDRAWN


def test_only_an_issued_guarantee_with_a_registered_beneficiary_can_be_amended(ready, issued):
    Guarantee.objects.filter(pk=issued.pk).update(beneficiary=None)
    with pytest.raises(Conflict) as error:
        request(ready, Guarantee.objects.get(pk=issued.pk), new_end_date=issued.end_date + datetime.timedelta(days=5))
    assert error.value.code == "beneficiary_not_registered"
    draft = apply(ready, section=ready["section"].project.sections.create(number="X-09", name="九", bid_bond_amount=1))
    with pytest.raises(Conflict) as error:
        request(ready, draft, new_end_date=draft.end_date + datetime.timedelta(days=5))
    assert error.value.code == "invalid_transition"


def test_the_pages_walk_the_amendment(ready, issued, client_for):
    new_end = issued.end_date + datetime.timedelta(days=45)
    applicant = client_for("applicant_operator")
    assert "申请变更" in applicant.get(f"/guarantees/{issued.pk}/").content.decode()
    response = applicant.post(
        f"/guarantees/{issued.pk}/amendment/", {"new_end_date": new_end.isoformat(), "reason": "工期顺延"}
    )
    assert response.status_code == 302
    guarantor = client_for("guarantor_reviewer")
    assert "同意变更" in guarantor.get(f"/guarantees/{issued.pk}/").content.decode()
    assert guarantor.post(f"/guarantees/{issued.pk}/amendment/approve/", {"comment": ""}).status_code == 302
    beneficiary = client_for("beneficiary_operator")
    assert beneficiary.post(f"/guarantees/{issued.pk}/amendment/accept/", {"comment": "同意"}).status_code == 302
    page = beneficiary.get(f"/guarantees/{issued.pk}/").content.decode()
    assert "第2版" in page and "已被替代" in page
    old = beneficiary.get(f"/guarantees/{issued.pk}/versions/1/document.pdf")
    assert old.status_code == 200 and b"".join(old.streaming_content).startswith(b"%PDF")
    assert beneficiary.get(f"/guarantees/{issued.pk}/versions/7/document.pdf").status_code == 404
    # a bad date on the form is a message, not a 500, and nothing is written
    again = applicant.post(f"/guarantees/{issued.pk}/amendment/", {"new_end_date": "2026-13-40", "reason": "x"})
    assert again.status_code == 400 and Amendment.objects.count() == 1
