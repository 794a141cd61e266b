"""Application → review → payment → issue, through the services (6.6.1–6.6.5): what each
step leaves in the database, and what it refuses."""

import datetime
import io
import threading
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone
from pypdf import PdfReader

from eguarantee.accounts.tests.helpers import PDF_BYTES as PDF
from eguarantee.catalog import placeholders
from eguarantee.catalog.models import GuaranteeType
from eguarantee.core.exceptions import Conflict, NotAllowed, ServiceError
from eguarantee.guarantees import services
from eguarantee.guarantees.choices import GuaranteeStatus
from eguarantee.guarantees.models import Guarantee, GuaranteeEvent
from eguarantee.guarantees.testing import apply

pytestmark = pytest.mark.django_db


def through_payment(ready, guarantee):
    users = ready["users"]
    services.submit(guarantee, actor=users["applicant_operator"])
    services.accept(guarantee, actor=users["guarantor_reviewer"])
    services.approve(guarantee, actor=users["guarantor_reviewer"], rate=Decimal("0.6000"))
    return services.confirm_payment(guarantee, actor=users["guarantor_reviewer"], reference="网银20261127001")


def test_the_main_path_issues_a_numbered_verifiable_pdf(ready):
    guarantee = apply(ready)
    assert guarantee.status == GuaranteeStatus.DRAFT and guarantee.order_number.startswith("SQ")
    assert guarantee.beneficiary_name == "厦门市城市建设投资集团有限公司"
    assert guarantee.department == ready["users"]["department_admin"].organization  # from the project
    paid = through_payment(ready, guarantee)
    assert paid.status == GuaranteeStatus.PAID and paid.premium == Decimal("1200.00")  # 200000 × 0.6 %
    assert paid.template.name == "海峡投标保函" and paid.clause is not None  # frozen at approval
    issued = services.issue(guarantee, actor=ready["users"]["guarantor_reviewer"])
    year = timezone.localdate().year
    assert issued.status == GuaranteeStatus.ISSUED and issued.number == f"HXDB{year}TB000001"
    assert len(issued.verification_code) == 8 and issued.outstanding_amount == Decimal("200000.00")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(issued.document.read())).pages)
    assert issued.number in text and "人民币贰拾万元整" in text and issued.verification_code in text
    assert "本保函为见索即付独立保函" in text  # the clause in force at approval
    assert len(issued.document_sm3) == 64 and len(issued.document_sha256) == 64
    issued.project.refresh_from_db()
    assert issued.project.is_locked and issued.number in issued.project.lock_reason  # no more edits
    actions = list(GuaranteeEvent.objects.filter(guarantee=guarantee).values_list("action", flat=True))
    assert actions == ["create", "attach", "submit", "accept", "approve", "confirm_payment", "issue", "file"]


def test_numbers_follow_on_per_guarantor_and_year(ready):
    first = services.issue(through_payment(ready, apply(ready)), actor=ready["users"]["guarantor_reviewer"])
    other_section = ready["section"].project.sections.create(number="X-02", name="第二标段", bid_bond_amount=1)
    second = services.issue(
        through_payment(ready, apply(ready, section=other_section)), actor=ready["users"]["guarantor_reviewer"]
    )
    assert int(second.number[-6:]) == int(first.number[-6:]) + 1


def test_duplicate_live_application_for_the_same_section_is_refused(ready):
    apply(ready)
    with pytest.raises(Conflict) as exc:
        apply(ready)
    assert exc.value.code == "duplicate_application"
    assert Guarantee.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"amount": Decimal("0")}, "invalid_amount"),
        ({"amount": Decimal("6000000.00")}, "guarantor_not_selectable"),  # above the single limit
        ({"end_date": timezone.localdate()}, "end_before_start"),
        ({"section": None}, "section_required"),
        ({"sealed": True, "guarantee_type": "performance"}, "sealed_not_allowed"),
    ],
)
def test_bad_applications_write_nothing(ready, overrides, code):
    if isinstance(overrides.get("guarantee_type"), str):
        overrides["guarantee_type"] = GuaranteeType.objects.get(code=overrides["guarantee_type"])
    with pytest.raises(ServiceError) as exc:
        apply(ready, **overrides)
    assert exc.value.code == code
    assert not Guarantee.objects.exists() and not GuaranteeEvent.objects.exists()


def test_an_expired_qualification_stops_the_guarantor_being_chosen(ready):
    ready["guarantor"].guarantor_qualifications.update(valid_to=timezone.localdate() - datetime.timedelta(days=1))
    with pytest.raises(ServiceError) as exc:
        apply(ready)
    assert exc.value.code == "guarantor_not_selectable"


def test_a_rate_outside_the_declared_range_is_refused(ready):
    users = ready["users"]
    guarantee = apply(ready)
    services.submit(guarantee, actor=users["applicant_operator"])
    services.accept(guarantee, actor=users["guarantor_reviewer"])
    with pytest.raises(ServiceError) as exc:
        services.approve(guarantee, actor=users["guarantor_reviewer"], rate=Decimal("1.5000"))
    assert exc.value.code == "rate_out_of_range"
    assert Guarantee.objects.get(pk=guarantee.pk).status == GuaranteeStatus.UNDER_REVIEW


def test_rejection_needs_a_reason_and_the_applicant_may_revise(ready):
    users = ready["users"]
    guarantee = apply(ready)
    services.submit(guarantee, actor=users["applicant_operator"])
    services.accept(guarantee, actor=users["guarantor_reviewer"])
    with pytest.raises(ServiceError):
        services.reject(guarantee, actor=users["guarantor_reviewer"], reason=" ")
    rejected = services.reject(guarantee, actor=users["guarantor_reviewer"], reason="投标人资质不符")
    assert rejected.status == GuaranteeStatus.REJECTED
    assert GuaranteeEvent.objects.get(guarantee=guarantee, action="reject").comment == "投标人资质不符"
    assert services.transition(guarantee, "revise", actor=users["applicant_operator"]).status == GuaranteeStatus.DRAFT


def test_cancelling_after_payment_records_the_refund(ready):
    paid = through_payment(ready, apply(ready))
    cancelled = services.cancel(paid, actor=ready["users"]["applicant_admin"], reason="项目流标")
    assert cancelled.status == GuaranteeStatus.CANCELLED
    assert GuaranteeEvent.objects.get(guarantee=paid, action="cancel").data == {"refund": "1200.00"}


def test_only_the_parties_act(ready):
    users = ready["users"]
    guarantee = apply(ready)
    with pytest.raises(NotAllowed):
        services.submit(guarantee, actor=users["guarantor_reviewer"])  # not its application
    services.submit(guarantee, actor=users["applicant_operator"])
    with pytest.raises(NotAllowed):
        services.accept(guarantee, actor=users["applicant_admin"])  # lacks the review permission


@pytest.mark.django_db(transaction=True)
def test_two_issue_calls_make_one_number(ready):
    paid = through_payment(ready, apply(ready))
    outcomes, barrier = [], threading.Barrier(2)

    def issue(user):
        barrier.wait()
        try:
            outcomes.append(services.issue(paid, actor=user).number)
        except Conflict as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    users = ready["users"]
    threads = [threading.Thread(target=issue, args=(users[r],)) for r in ("guarantor_reviewer", "guarantor_admin")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    numbers = [o for o in outcomes if o != "invalid_transition"]
    assert len(numbers) == 1 and outcomes.count("invalid_transition") == 1
    assert Guarantee.objects.get(pk=paid.pk).number == numbers[0]
    assert GuaranteeEvent.objects.filter(guarantee=paid, action="issue").count() == 1


def test_a_guarantee_fills_every_placeholder_but_the_qr_code(ready):
    from eguarantee.guarantees.documents import values_for

    issued = services.issue(through_payment(ready, apply(ready)), actor=ready["users"]["guarantor_reviewer"])
    values = values_for(issued)
    assert set(values) == set(placeholders.PLACEHOLDERS) - {placeholders.QR_CODE}
    assert values["验真网址"].endswith(f"/verify/?number={issued.number}")


def test_a_missing_required_attachment_stops_the_submission(ready):
    users = ready["users"]
    guarantee = services.create_application(
        actor=users["applicant_operator"],
        guarantee_type=GuaranteeType.objects.get(code="bid"),
        guarantor=ready["guarantor"],
        amount=Decimal("200000.00"),
        start_date=timezone.localdate(),
        end_date=timezone.localdate() + datetime.timedelta(days=90),
        section=ready["section"],
    )
    with pytest.raises(ServiceError) as exc:
        services.submit(guarantee, actor=users["applicant_operator"])
    assert exc.value.code == "missing_attachment" and "招标公告" in exc.value.message
    assert Guarantee.objects.get(pk=guarantee.pk).status == GuaranteeStatus.DRAFT
    renamed = SimpleUploadedFile("notice.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 64, content_type="application/pdf")
    with pytest.raises(ServiceError):
        services.add_attachment(guarantee, actor=users["applicant_operator"], key="bid_notice", upload=renamed)
    with pytest.raises(ServiceError) as exc:
        upload = SimpleUploadedFile("x.pdf", PDF, content_type="application/pdf")
        services.add_attachment(guarantee, actor=users["applicant_operator"], key="contract", upload=upload)
    assert exc.value.code == "unknown_attachment"
    assert not guarantee.attachments.exists()


def test_a_performance_guarantee_names_its_beneficiary_and_asks_for_the_contract(ready):
    from eguarantee.guarantors.tests.helpers import offer_for

    offer_for(ready["guarantor"], "performance")
    beneficiary = ready["users"]["beneficiary_admin"].organization
    values = {
        "actor": ready["users"]["applicant_operator"],
        "guarantee_type": GuaranteeType.objects.get(code="performance"),
        "guarantor": ready["guarantor"],
        "amount": Decimal("1000000.00"),
        "start_date": timezone.localdate(),
        "end_date": timezone.localdate() + datetime.timedelta(days=365),
        "beneficiary_name": beneficiary.name,
        "beneficiary_credit_code": beneficiary.credit_code,
    }
    with pytest.raises(ServiceError) as exc:
        services.create_application(**values, fields={"contract_number": "HT-2026-001"})
    assert exc.value.code == "missing_field" and "合同金额" in exc.value.message
    with pytest.raises(ServiceError) as exc:
        services.create_application(**{**values, "beneficiary_credit_code": "91350200000000000X"}, fields={})
    assert exc.value.code in ("invalid_credit_code", "missing_field")
    contract = {"contract_number": "HT-2026-001", "contract_amount": "12000000", "contract_period": "365天", "x": "y"}
    made = services.create_application(**values, fields=contract)
    assert made.beneficiary == beneficiary and made.section is None and made.project is None
    assert made.fields == {"contract_number": "HT-2026-001", "contract_amount": "12000000", "contract_period": "365天"}
    assert Guarantee.objects.count() == 1


def test_issuing_tells_the_applicant_and_the_beneficiary(ready, django_capture_on_commit_callbacks):
    from eguarantee.notifications.models import InSiteMessage, SmsMessage

    paid = through_payment(ready, apply(ready))
    with django_capture_on_commit_callbacks(execute=True):
        made = services.issue(paid, actor=ready["users"]["guarantor_reviewer"])
    users = ready["users"]
    recipients = set(
        InSiteMessage.objects.filter(title__in=["保函已出具", "收到一份电子保函"]).values_list(
            "recipient__username", flat=True
        )
    )
    assert {"applicant_admin", "applicant_operator", "beneficiary_admin", "beneficiary_operator"} <= recipients
    sms = SmsMessage.objects.filter(purpose="guarantee_issued")
    assert set(sms.values_list("mobile", flat=True)) == {
        users["applicant_admin"].mobile,
        users["applicant_operator"].mobile,
    }
    assert made.verification_code in sms.first().content
