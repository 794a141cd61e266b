"""Builders for the settlement tests and matrix lines."""

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from eguarantee.accounts import demo
from eguarantee.accounts.choices import OrgStatus, OrgType
from eguarantee.accounts.models import Organization
from eguarantee.accounts.tests.helpers import PDF_BYTES
from eguarantee.catalog.models import GuaranteeType
from eguarantee.guarantees import services
from eguarantee.guarantees.tests.factories import issued
from eguarantee.settlement import subscribers
from eguarantee.settlement.models import LedgerLine

PREMIUM = Decimal("1200.00")


def issue_through_services(ready, *, section=None, amount=Decimal("200000.00")):
    """Apply, submit, accept, approve at 0.6 %, confirm payment and issue — the real path."""
    guarantee = paid_through_services(ready, section=section, amount=amount)
    return services.issue(guarantee, actor=ready["users"]["guarantor_reviewer"])


def paid_through_services(ready, *, section=None, amount=Decimal("200000.00")):
    users = ready["users"]
    applicant, reviewer = users["applicant_operator"], users["guarantor_reviewer"]
    today = timezone.localdate()
    bid = GuaranteeType.objects.get(code="bid")
    guarantee = services.create_application(
        actor=applicant,
        guarantee_type=bid,
        guarantor=ready["guarantor"],
        amount=amount,
        start_date=today + datetime.timedelta(days=30),
        end_date=today + datetime.timedelta(days=120),
        section=section or ready["section"],
    )
    for item in bid.required_attachments:
        upload = ContentFile(PDF_BYTES, name=f"{item['key']}.pdf")
        upload.content_type = "application/pdf"
        services.add_attachment(guarantee, actor=applicant, key=item["key"], upload=upload)
    services.submit(guarantee, actor=applicant)
    services.accept(guarantee, actor=reviewer)
    services.approve(guarantee, actor=reviewer, rate=Decimal("0.6000"))
    return services.confirm_payment(guarantee, actor=reviewer, reference="网银20261127001")


def line_for(guarantee):
    """The ledger line (and receivable) the issue subscriber makes, for a guarantee built by
    the factory (which skips the services)."""
    subscribers.record_issue(name="guarantee.issue", guarantee=guarantee, event=None, actor=None)
    return LedgerLine.objects.get(guarantee=guarantee)


def issued_line(users, **extra):
    extra.setdefault("premium", PREMIUM)
    extra.setdefault("rate", Decimal("0.6000"))
    return line_for(issued(users, **extra))


def organization(name, org_type, serial, region_code="350203"):
    org, _ = Organization.objects.get_or_create(
        credit_code=demo.credit_code("91350203", 7000 + serial),
        defaults={"name": name, "org_type": org_type, "region_code": region_code, "status": OrgStatus.APPROVED},
    )
    return org


def other_applicant():
    return organization("泉州某某建设有限公司", OrgType.APPLICANT, 1)


def other_guarantor():
    return organization("闽南融资担保有限公司", OrgType.GUARANTOR, 2)


def other_department():
    return organization("福州市建设局", OrgType.DEPARTMENT, 3, region_code="350100")
