"""Guarantees as the later life-cycle services will leave them, for tests of what reads them."""

import datetime
import secrets
from decimal import Decimal

from django.utils import timezone

from eguarantee.catalog.models import GuaranteeType
from eguarantee.guarantees.choices import GuaranteeStatus
from eguarantee.guarantees.models import Guarantee
from eguarantee.projects.choices import ProjectType
from eguarantee.projects.models import Project, ProjectParticipant, Section


def project(users, number="XMJS-2026-0001", name="厦门市新店片区市政道路工程"):
    beneficiary = users["beneficiary_admin"].organization
    item, _ = Project.objects.get_or_create(
        number=number,
        defaults={
            "name": name,
            "project_type": ProjectType.MUNICIPAL,
            "region_code": "350203",
            "beneficiary": beneficiary,
            "beneficiary_name": beneficiary.name,
            "beneficiary_credit_code": beneficiary.credit_code,
            "contract_estimate": Decimal("12000000.00"),
            "bid_opening_at": timezone.now() + datetime.timedelta(days=30),
            "created_by": users["applicant_admin"].organization,
            "department": users["department_admin"].organization,
        },
    )
    ProjectParticipant.objects.get_or_create(project=item, organization=users["applicant_admin"].organization)
    section, _ = Section.objects.get_or_create(
        project=item, number=f"{number}-01", defaults={"name": "第一标段", "bid_bond_amount": Decimal("200000.00")}
    )
    return item, section


def issued(users, *, number=None, status=GuaranteeStatus.ISSUED, end_in_days=90, department=None, **extra):
    """department: the organization in charge; the demo department when not given."""
    item, section = project(users)
    serial = Guarantee.objects.count() + 1
    beneficiary = users["beneficiary_admin"].organization
    today = timezone.localdate()
    values = {
        "order_number": f"SQ2026{serial:08d}",
        "number": number or f"CS2026TB{serial:06d}",  # not HXDB…: the issue service numbers those
        "verification_code": secrets.token_hex(4).upper(),
        "guarantee_type": GuaranteeType.objects.get(code="bid"),
        "status": status,
        "applicant": users["applicant_admin"].organization,
        "guarantor": users["guarantor_admin"].organization,
        "beneficiary": beneficiary,
        "beneficiary_name": beneficiary.name,
        "beneficiary_credit_code": beneficiary.credit_code,
        "project": item,
        "section": section,
        "department": department or users["department_admin"].organization,
        "amount": Decimal("200000.00"),
        "start_date": today - datetime.timedelta(days=10),
        "end_date": today + datetime.timedelta(days=end_in_days),
        "issued_at": timezone.now(),
        "created_by": users["applicant_admin"],
    }
    values.update(extra)
    return Guarantee.objects.create(**values)
