"""Builders shared by the guarantors tests and the permission-matrix lines."""

from datetime import date, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Max
from django.utils import timezone

from eguarantee.accounts import demo
from eguarantee.accounts.choices import OrgStatus, OrgType
from eguarantee.accounts.models import Organization, Role, User
from eguarantee.accounts.tests.helpers import PDF_BYTES
from eguarantee.catalog.models import GuaranteeType
from eguarantee.guarantors.choices import ClauseStatus
from eguarantee.guarantors.models import Clause, GuarantorProfile, Offer, Qualification


def today():
    return timezone.localdate()


def pdf(name="certificate.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def gtype(code="bid"):
    return GuaranteeType.objects.get(code=code)


def demo_guarantor(users):
    return users["guarantor_admin"].organization


def profile_for(org, short_code=None, **overrides):
    data = {
        "institution_type": "guarantee_company",
        "registered_capital": Decimal("500000000.00"),
        "credit_rating": "AA",
        "rating_agency": "联合资信评估股份有限公司",
        "legal_representative": "林一",
        "service_hotline": "0592-5550000",
        "short_code": short_code or f"G{org.pk:04d}",
        "enabled": True,
    }
    data.update(overrides)
    profile, _ = GuarantorProfile.objects.get_or_create(organization=org, defaults=data)
    return profile


def qualification_for(
    org, *, valid_from=None, valid_to="default", historical=False, kind="financing_guarantee_licence"
):
    start = valid_from or today() - timedelta(days=365)
    end = today() + timedelta(days=365) if valid_to == "default" else valid_to
    return Qualification.objects.create(
        guarantor=org,
        kind=kind,
        licence_number=f"LIC-{Qualification.objects.count() + 1:05d}",
        issuing_body="福建省地方金融监督管理局",
        valid_from=start,
        valid_to=end,
        is_historical=historical,
        certificate=ContentFile(PDF_BYTES, name="cert.pdf"),
        certificate_sha256="0" * 64,
        certificate_sm3="0" * 64,
    )


def offer_for(org, code="bid", **overrides):
    data = {
        "regions": ["350000"],
        "rate_min": Decimal("0.5000"),
        "rate_max": Decimal("1.0000"),
        "min_premium": Decimal("300.00"),
        "max_single_amount": Decimal("5000000.00"),
        "total_capacity": Decimal("100000000.00"),
        "turnaround_hours": 4,
        "enabled": True,
    }
    data.update(overrides)
    offer, _ = Offer.objects.get_or_create(guarantor=org, guarantee_type=gtype(code), defaults=data)
    return offer


def clause_for(org, code="bid", *, status=ClauseStatus.DRAFT, effective_from=None, effective_to=None, title="条款"):
    """Without dates: a period of its own, far in the future, so clauses made one after
    another never overlap."""
    guarantee_type = gtype(code)
    top = Clause.objects.filter(guarantor=org, guarantee_type=guarantee_type).aggregate(m=Max("version"))["m"] or 0
    if effective_from is None:
        effective_from, effective_to = date(2100 + top, 1, 1), date(2100 + top, 12, 31)
    return Clause.objects.create(
        guarantor=org,
        guarantee_type=guarantee_type,
        title=title,
        body="第一条 本保函为见索即付独立保函。",
        version=top + 1,
        effective_from=effective_from,
        effective_to=effective_to,
        status=status,
        published_at=timezone.now() if status == ClauseStatus.PUBLISHED else None,
    )


def ready_guarantor(org, **offer):
    """A guarantor an applicant could choose: profile, a valid qualification, a bid offer."""
    profile_for(org)
    qualification_for(org)
    offer_for(org, **offer)
    return org


def second_guarantor(name="闽南融资担保有限公司", serial=77, *, with_admin=True):
    """Another guarantor organization (and its administrator) for data-scope tests."""
    org, _ = Organization.objects.get_or_create(
        credit_code=demo.credit_code("91350203", 5000 + serial),
        defaults={"name": name, "org_type": OrgType.GUARANTOR, "region_code": "350203", "status": OrgStatus.APPROVED},
    )
    profile_for(org, short_code=f"MN{serial}")
    if with_admin and not org.users.exists():
        user = User.objects.create(
            username=f"other_guarantor_{serial}",
            full_name="另一保证人管理员",
            organization=org,
            mobile=f"1377000{serial:04d}",
            password_changed_at=timezone.now(),
        )
        user.groups.add(Role.objects.get(code="guarantor_admin"))
    return org
