"""The figures the platform computes for a guarantor's offer page (6.2.2) come from its
guarantees, not from what the guarantor declares."""

from decimal import Decimal

import pytest
from django.urls import reverse

from eguarantee.catalog.models import GuaranteeType
from eguarantee.guarantees.choices import GuaranteeStatus
from eguarantee.guarantees.figures import guarantee_figures
from eguarantee.guarantors.tests.helpers import offer_for, profile_for

from .factories import issued

pytestmark = pytest.mark.django_db


def test_issued_count_and_outstanding_amount(demo_users, client_for):
    guarantor = demo_users["guarantor_admin"].organization
    profile_for(guarantor, short_code="HXDB")
    bid = GuaranteeType.objects.get(code="bid")
    issued(demo_users, amount=Decimal("200000.00"))
    issued(demo_users, amount=Decimal("300000.00"), outstanding_amount=Decimal("100000.00"))  # partly claimed
    issued(demo_users, amount=Decimal("500000.00"), status=GuaranteeStatus.RELEASED)  # no longer at risk
    issued(demo_users, amount=Decimal("900000.00"), status=GuaranteeStatus.UNDER_REVIEW, number=None)  # not issued
    figures = guarantee_figures(guarantor.pk, bid.pk)
    assert figures.issued_count == 3 and figures.outstanding_amount == Decimal("300000.00")
    offer = offer_for(guarantor)
    page = client_for("guarantor_admin").get(reverse("guarantors:offer_detail", args=[offer.pk])).content.decode()
    assert "暂无出函数据" not in page and "300,000.00" in page
