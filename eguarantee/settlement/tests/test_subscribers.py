"""What the guarantees' domain events leave in settlement: one ledger line and the premium
receivable at issue, the payment received, the refund of a cancelled paid application —
each inside the fact's transaction — and the lines closed by release, surrender, claim."""

import datetime
import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from eguarantee.core import events
from eguarantee.guarantees import services
from eguarantee.guarantees.choices import GuaranteeStatus
from eguarantee.guarantees.models import Guarantee
from eguarantee.guarantees.tests.factories import issued
from eguarantee.settlement.choices import FeeKind
from eguarantee.settlement.models import FeeRecord, LedgerLine

from .helpers import PREMIUM, issue_through_services, line_for, paid_through_services

pytestmark = pytest.mark.django_db


def test_issuing_makes_one_ledger_line_and_the_premium_records(ready):
    guarantee = issue_through_services(ready)
    users = ready["users"]
    applicant, guarantor = users["applicant_admin"].organization, ready["guarantor"]
    line = LedgerLine.objects.get()
    assert line.guarantee_id == guarantee.pk and line.number == guarantee.number
    assert line.guarantee_type.code == "bid"
    assert (line.applicant, line.guarantor, line.department) == (applicant, guarantor, guarantee.department)
    assert line.beneficiary_name == "厦门市城市建设投资集团有限公司"
    assert line.project_name == guarantee.project.name and line.section_name == ready["section"].name
    assert (line.amount, line.premium, line.rate) == (Decimal("200000.00"), PREMIUM, Decimal("0.6000"))
    assert (line.start_date, line.end_date) == (guarantee.start_date, guarantee.end_date)
    assert line.issued_at == guarantee.issued_at
    assert line.status == GuaranteeStatus.ISSUED and line.closed_at is None
    receivable = FeeRecord.objects.get(kind=FeeKind.RECEIVABLE)
    assert (receivable.guarantee_id, receivable.amount) == (guarantee.pk, PREMIUM)
    assert (receivable.payer, receivable.payee, receivable.reference) == (applicant, guarantor, guarantee.number)
    received = FeeRecord.objects.get(kind=FeeKind.RECEIVED)  # from the payment before
    assert (received.amount, received.reference) == (PREMIUM, "网银20261127001")
    assert (received.payer, received.payee) == (applicant, guarantor)
    assert FeeRecord.objects.count() == 2


def test_a_failure_after_the_subscriber_undoes_the_issue_and_its_records(ready):
    guarantee = paid_through_services(ready)

    def broken(**_):
        raise RuntimeError("a later subscriber fails")

    events.subscribe("guarantee.issue", broken)  # after settlement's: ours has already written
    try:
        with pytest.raises(RuntimeError):
            services.issue(guarantee, actor=ready["users"]["guarantor_reviewer"])
    finally:
        events.unsubscribe("guarantee.issue", broken)
    assert Guarantee.objects.get(pk=guarantee.pk).status == GuaranteeStatus.PAID
    assert not LedgerLine.objects.exists()
    assert not FeeRecord.objects.filter(kind=FeeKind.RECEIVABLE).exists()
    assert FeeRecord.objects.filter(kind=FeeKind.RECEIVED).count() == 1  # the payment itself stands


def test_cancelling_after_payment_records_the_refund(ready):
    guarantee = paid_through_services(ready)
    services.cancel(guarantee, actor=ready["users"]["applicant_operator"], reason="项目延期")
    refund = FeeRecord.objects.get(kind=FeeKind.REFUND)
    assert refund.amount == PREMIUM and refund.guarantee_id == guarantee.pk
    assert (refund.payer, refund.payee) == (ready["guarantor"], ready["users"]["applicant_admin"].organization)
    assert not LedgerLine.objects.exists()  # never issued: no ledger line


def test_cancelling_before_payment_records_no_refund(demo_users):
    guarantee = issued(demo_users, number=None, status=GuaranteeStatus.AWAITING_PAYMENT, premium=PREMIUM)
    services.cancel(guarantee, actor=demo_users["applicant_operator"], reason="不再需要")
    assert not FeeRecord.objects.exists()


def test_a_gateway_payment_records_the_premium_received(demo_users):
    guarantee = issued(demo_users, status=GuaranteeStatus.AWAITING_PAYMENT, premium=PREMIUM)
    services.transition(guarantee, "gateway_paid", actor=None, data={"reference": "PAY-2026-0001"})
    received = FeeRecord.objects.get()
    assert (received.kind, received.amount, received.reference) == (FeeKind.RECEIVED, PREMIUM, "PAY-2026-0001")


def test_release_closes_the_lines_without_a_query_on_settlement(ready):
    first = issue_through_services(ready)
    other_section = ready["section"].project.sections.create(number="X-02", name="第二标段", bid_bond_amount=1)
    second = issue_through_services(ready, section=other_section)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Guarantee.objects.filter(pk=first.pk).update(end_date=yesterday)
    with CaptureQueriesContext(connection) as queries:
        assert services.release_expired() == 1
    assert not [q["sql"] for q in queries if "settlement_" in q["sql"]]  # nothing per guarantee
    closed, open_ = LedgerLine.objects.get(guarantee=first), LedgerLine.objects.get(guarantee=second)
    assert closed.status == GuaranteeStatus.RELEASED and closed.closed_at is not None
    assert open_.status == GuaranteeStatus.ISSUED and open_.closed_at is None
    assert set(LedgerLine.objects.filter(guarantee__status=GuaranteeStatus.RELEASED)) == {closed}


def test_early_release_surrender_and_claim_show_on_the_line(demo_users):
    released, surrendered, claimed = (line_for(issued(demo_users, premium=PREMIUM)) for _ in range(3))
    services.confirm_release(released.guarantee, actor=demo_users["beneficiary_admin"])
    services.transition(surrendered.guarantee, "request_surrender", actor=demo_users["applicant_operator"])
    services.transition(surrendered.guarantee, "surrender", actor=demo_users["guarantor_reviewer"])
    services.transition(claimed.guarantee, "claim_paid", actor=demo_users["guarantor_reviewer"])
    for line, status in (
        (released, GuaranteeStatus.RELEASED),
        (surrendered, GuaranteeStatus.SURRENDERED),
        (claimed, GuaranteeStatus.CLAIMED),
    ):
        line = LedgerLine.objects.select_related("guarantee").get(pk=line.pk)
        assert line.status == status and line.closed_at is not None


def test_the_backfill_records_guarantees_issued_before_settlement_once(ready):
    guarantee = issue_through_services(ready)
    LedgerLine.objects.all().delete()
    FeeRecord.objects.all().delete()
    backfill = importlib.import_module("eguarantee.settlement.migrations.0002_backfill_from_guarantees").backfill
    backfill(apps, None)
    backfill(apps, None)  # writes nothing twice
    line = LedgerLine.objects.get()
    assert (line.guarantee_id, line.number, line.premium) == (guarantee.pk, guarantee.number, PREMIUM)
    assert line.section_name == ready["section"].name
    assert sorted(FeeRecord.objects.values_list("kind", "amount")) == [
        (FeeKind.RECEIVABLE, PREMIUM),
        (FeeKind.RECEIVED, PREMIUM),
    ]


def test_an_accepted_amendment_changes_the_lines_terms(ready):
    guarantee = issue_through_services(ready)
    users = ready["users"]
    new_end = guarantee.end_date + datetime.timedelta(days=60)
    amendment = services.request_amendment(
        guarantee,
        actor=users["applicant_operator"],
        reason="工期顺延",
        new_amount=Decimal("150000.00"),
        new_end_date=new_end,
    )
    services.decide_amendment(amendment, actor=users["guarantor_reviewer"], approve=True)
    services.answer_amendment(amendment, actor=users["beneficiary_admin"], accept=True)
    line = LedgerLine.objects.get()
    assert (line.amount, line.end_date) == (Decimal("150000.00"), new_end)
    assert line.premium == PREMIUM  # the premium is what was charged at issue
