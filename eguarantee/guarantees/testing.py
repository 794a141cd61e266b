"""Test fixtures of the guarantees module (a pytest plugin, see the root conftest.py, so that
browser journeys use them too)."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from eguarantee.accounts.tests.helpers import PDF_BYTES
from eguarantee.catalog.choices import TemplateStatus
from eguarantee.catalog.models import GuaranteeTemplate, GuaranteeType
from eguarantee.guarantees import services
from eguarantee.guarantees.tests.factories import project
from eguarantee.guarantors.choices import ClauseStatus
from eguarantee.guarantors.tests.helpers import clause_for, offer_for, profile_for, qualification_for

BODY = (
    "# 投标保函\n\n致：{{受益人}}\n\n保函编号：{{保函编号}}\n\n"
    "担保金额：{{担保金额大写}}（{{担保金额}}）\n\n{{条款}}\n\n验真码：{{验真码}}"
)


@pytest.fixture
def ready(demo_users):
    """A guarantor an applicant can choose for a bid guarantee on the demo project."""
    guarantor = demo_users["guarantor_admin"].organization
    profile_for(guarantor, short_code="HXDB")
    qualification_for(guarantor)
    offer_for(guarantor)
    today = timezone.localdate()
    clause_for(guarantor, status=ClauseStatus.PUBLISHED, effective_from=today - datetime.timedelta(days=1))
    GuaranteeTemplate.objects.create(
        guarantee_type=GuaranteeType.objects.get(code="bid"),
        guarantor=guarantor,
        name="海峡投标保函",
        body=BODY,
        status=TemplateStatus.PUBLISHED,
    )
    _, section = project(demo_users)
    return {"guarantor": guarantor, "section": section, "users": demo_users}


def apply(ready, **overrides):
    """A draft bid guarantee application of the demo applicant through the services, with
    the attachments its type requires."""
    today = timezone.localdate()
    values = {
        "actor": ready["users"]["applicant_operator"],
        "guarantee_type": GuaranteeType.objects.get(code="bid"),
        "guarantor": ready["guarantor"],
        "amount": Decimal("200000.00"),
        "start_date": today + datetime.timedelta(days=30),
        "end_date": today + datetime.timedelta(days=120),
        "section": ready["section"],
    }
    values.update(overrides)
    guarantee = services.create_application(**values)
    for item in guarantee.guarantee_type.required_attachments:
        upload = SimpleUploadedFile(f"{item['key']}.pdf", PDF_BYTES, content_type="application/pdf")
        services.add_attachment(guarantee, actor=values["actor"], key=item["key"], upload=upload)
    return guarantee
