"""Builders for the credit tests: guarantees driven through the real services, and records
made directly (for pages and scope, where what is examined is the reading)."""

import datetime

from eguarantee.accounts import demo
from eguarantee.accounts.choices import OrgStatus, OrgType
from eguarantee.accounts.models import Organization
from eguarantee.credit import services as credit
from eguarantee.credit.choices import RecordKind
from eguarantee.guarantees import services
from eguarantee.guarantees.choices import GuaranteeStatus
from eguarantee.guarantees.models import GuaranteeEvent
from eguarantee.guarantees.testing import apply
from eguarantee.guarantees.tests.factories import issued


def under_review(ready):
    users = ready["users"]
    guarantee = apply(ready)
    services.submit(guarantee, actor=users["applicant_operator"])
    return services.accept(guarantee, actor=users["guarantor_reviewer"])


def approved(ready, *, days_ago=0):
    """Awaiting payment, approved `days_ago` days ago (the approval event moved back)."""
    guarantee = services.approve(under_review(ready), actor=ready["users"]["guarantor_reviewer"])
    if days_ago:
        event = GuaranteeEvent.objects.get(guarantee=guarantee, action="approve")
        event.created_at -= datetime.timedelta(days=days_ago)
        event.save(update_fields=["created_at"])
    assert guarantee.status == GuaranteeStatus.AWAITING_PAYMENT
    return guarantee


def organization(org_type, serial, name=None):
    org, _ = Organization.objects.get_or_create(
        credit_code=demo.credit_code("91350211", 7000 + serial),
        defaults={
            "name": name or f"测试单位{serial}",
            "org_type": org_type,
            "region_code": "350203",
            "status": OrgStatus.APPROVED,
        },
    )
    return org


def other_applicant(serial=1):
    return organization(OrgType.APPLICANT, serial, f"另一施工企业{serial}")


def other_guarantor(serial=2):
    return organization(OrgType.GUARANTOR, serial, f"另一担保公司{serial}")


def other_department(serial=3):
    return organization(OrgType.DEPARTMENT, serial, f"另一主管部门{serial}")


def record(users, kind=RecordKind.REJECTED, **guarantee):
    """A record on a guarantee of the demo parties (any of them replaced by `guarantee`)."""
    made = issued(users, **guarantee)
    event = GuaranteeEvent.objects.create(guarantee=made, action="reject", comment="测试")
    credit.record_event(kind, made, event)
    return made.credit_records.get()
