"""退保: requested by the applicant under the rules real platforms use, decided by the
guarantor; while it is pending the guarantee still stands."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from eguarantee.core.exceptions import Conflict, ServiceError
from eguarantee.guarantees import services
from eguarantee.guarantees.choices import GuaranteeStatus

from .factories import issued

pytestmark = pytest.mark.django_db


def test_before_bid_opening_the_applicant_may_surrender(demo_users, client_for):
    guarantee = issued(demo_users)  # the factory's project opens in 30 days
    client_for("applicant_admin").post(
        reverse("guarantees:surrender_request", args=[guarantee.pk]), {"reason": "决定不参加投标", "abnormal": ""}
    )
    guarantee.refresh_from_db()
    assert guarantee.status == GuaranteeStatus.SURRENDER_REQUESTED and guarantee.in_force
    client_for("guarantor_reviewer").post(reverse("guarantees:surrender_approve", args=[guarantee.pk]), {"comment": ""})
    guarantee.refresh_from_db()
    assert guarantee.status == GuaranteeStatus.SURRENDERED and not guarantee.in_force


def test_after_bid_opening_only_an_abnormal_project_allows_it(demo_users):
    guarantee = issued(demo_users)
    guarantee.project.bid_opening_at = timezone.now() - datetime.timedelta(days=1)
    guarantee.project.save()
    applicant = demo_users["applicant_admin"]
    with pytest.raises(Conflict) as exc:
        services.request_surrender(guarantee, actor=applicant, reason="不想要了")
    assert exc.value.code == "surrender_not_allowed"
    with pytest.raises(ServiceError) as exc:
        services.request_surrender(guarantee, actor=applicant, reason="流标", abnormal="nonsense")
    assert exc.value.code == "invalid_abnormal_reason"
    requested = services.request_surrender(guarantee, actor=applicant, reason="招标人宣布流标", abnormal="failed")
    assert requested.status == GuaranteeStatus.SURRENDER_REQUESTED


def test_a_refusal_needs_a_reason_and_restores_the_guarantee(demo_users):
    guarantee = issued(demo_users)
    services.request_surrender(guarantee, actor=demo_users["applicant_admin"], reason="不再需要")
    reviewer = demo_users["guarantor_reviewer"]
    with pytest.raises(ServiceError):
        services.decide_surrender(guarantee, actor=reviewer, approve=False)
    refused = services.decide_surrender(guarantee, actor=reviewer, approve=False, comment="开标在即，不予退保")
    assert refused.status == GuaranteeStatus.ISSUED
