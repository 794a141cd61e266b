"""Records for the projects tests and the permission matrix, made through the ORM so each
test states exactly who entered, joined, owns and supervises a project."""

import itertools
from datetime import timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from eguarantee.accounts import demo
from eguarantee.accounts.choices import OrgStatus, OrgType
from eguarantee.accounts.models import Organization
from eguarantee.projects.choices import DocumentType, ProjectType
from eguarantee.projects.models import Project, ProjectDocument, ProjectParticipant, Section

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
_serial = itertools.count(1)


def next_number(prefix="TEST"):
    return f"{prefix}-{Project.objects.count() + 1:04d}-{next(_serial):06d}"


def make_org(org_type=OrgType.APPLICANT, status=OrgStatus.APPROVED, name=None):
    n = Organization.objects.count() + next(_serial)
    prefix = {OrgType.APPLICANT: "91350206", OrgType.BENEFICIARY: "91350212", OrgType.DEPARTMENT: "11350200"}.get(
        org_type, "91350299"
    )
    return Organization.objects.create(
        name=name or f"测试单位{n}",
        credit_code=demo.credit_code(prefix, 500000 + n),
        org_type=org_type,
        region_code="350203",
        status=status,
    )


def make_project(created_by, *, beneficiary=None, department=None, number=None, participants=(), **fields):
    values = {
        "name": "测试市政道路工程",
        "project_type": ProjectType.MUNICIPAL,
        "region_code": "350203",
        "contract_estimate": Decimal("1000000.00"),
        "bid_opening_at": timezone.now() + timedelta(days=30),
        "bid_validity_days": 90,
        **fields,
    }
    project = Project.objects.create(
        number=number or next_number(),
        beneficiary=beneficiary,
        beneficiary_name=beneficiary.name if beneficiary else "厦门某招标人有限公司",
        beneficiary_credit_code=beneficiary.credit_code if beneficiary else demo.credit_code("91350212", 900001),
        created_by=created_by,
        department=department,
        **values,
    )
    ProjectParticipant.objects.create(project=project, organization=created_by)
    for org in participants:
        ProjectParticipant.objects.create(project=project, organization=org)
    Section.objects.create(project=project, number="01", name="第一标段", bid_bond_amount=Decimal("20000.00"))
    return project


def make_document(project, organization, name="招标公告.pdf"):
    document = ProjectDocument(
        project=project,
        doc_type=DocumentType.TENDER_NOTICE,
        original_name=name,
        size=len(PDF),
        content_type="application/pdf",
        sm3="0" * 64,
        sha256="0" * 64,
        organization=organization,
    )
    document.file.save(name.replace(".pdf", "") + ".pdf", ContentFile(PDF), save=False)
    document.save()
    return document


def shared_project(users):
    """A project every viewing role of the demo organizations may see: entered by the demo
    applicant, naming the demo beneficiary, supervised by the demo department."""
    return make_project(
        users["applicant_admin"].organization,
        beneficiary=users["beneficiary_admin"].organization,
        department=users["department_admin"].organization,
    )


def foreign_project(users=None):
    """A project of an applicant nobody logged in belongs to, with no beneficiary or
    department among the demo organizations."""
    return make_project(make_org(OrgType.APPLICANT))
