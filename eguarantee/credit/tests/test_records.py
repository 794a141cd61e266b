"""Each guarantee event, driven through the real services, writes exactly one credit record
of the right kind about the right enterprise — and nothing when the move rolls back."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from eguarantee.core import events
from eguarantee.credit.choices import Polarity, RecordKind
from eguarantee.credit.models import CreditRecord
from eguarantee.guarantees import services
from eguarantee.guarantees.choices import GuaranteeStatus
from eguarantee.guarantees.models import Guarantee, GuaranteeEvent
from eguarantee.guarantees.tests.factories import issued

from .helpers import under_review

pytestmark = pytest.mark.django_db


def only_record(guarantee):
    records = list(CreditRecord.objects.filter(guarantee=guarantee))
    assert len(records) == 1, records
    return records[0]


def test_a_rejected_application_is_recorded_against_the_applicant(ready):
    guarantee = under_review(ready)
    services.reject(guarantee, actor=ready["users"]["guarantor_reviewer"], reason="投标人资质不符")
    record = only_record(guarantee)
    assert record.kind == RecordKind.REJECTED and record.polarity == Polarity.NEGATIVE
    assert record.organization == ready["users"]["applicant_admin"].organization
    assert record.source_event == GuaranteeEvent.objects.get(guarantee=guarantee, action="reject")
    assert record.occurred_at == record.source_event.created_at
    assert record.details["comment"] == "投标人资质不符"


def test_moves_that_are_not_credit_behaviour_write_nothing(ready):
    users = ready["users"]
    guarantee = under_review(ready)  # create, attach, submit, accept
    services.approve(guarantee, actor=users["guarantor_reviewer"])
    services.confirm_payment(guarantee, actor=users["guarantor_reviewer"], reference="R1")  # on time
    assert not CreditRecord.objects.exists()


def test_the_daily_release_records_each_guarantee_once(demo_users):
    expired = [issued(demo_users, end_in_days=-1) for _ in range(5)]
    current = issued(demo_users, end_in_days=5)
    assert services.release_expired(batch_size=2) == 5
    assert services.release_expired() == 0
    for guarantee in expired:
        record = only_record(guarantee)
        assert record.kind == RecordKind.RELEASED_ON_TIME and record.polarity == Polarity.POSITIVE
        assert record.organization_id == guarantee.applicant_id
        assert record.source_event.action == "release"
        assert record.details == {"number": guarantee.number, "end_date": guarantee.end_date.isoformat()}
    assert not CreditRecord.objects.filter(guarantee=current).exists()
    assert CreditRecord.objects.count() == 5


def _release_queries(demo_users, count):
    for _ in range(count):
        issued(demo_users, end_in_days=-1)
    with CaptureQueriesContext(connection) as captured:
        services.release_expired(batch_size=count)
    return len(captured)


def test_a_release_batch_costs_credit_one_statement_not_one_per_guarantee(demo_users):
    """The release job publishes its batch, then each guarantee: the batch writes the whole
    batch's records, the events cost nothing (the 100,000-guarantee benchmark)."""
    _release_queries(demo_users, 1)  # warm-up: one-off lookups (roles, caches) out of the count
    small = _release_queries(demo_users, 3)
    large = _release_queries(demo_users, 30)
    assert CreditRecord.objects.filter(kind=RecordKind.RELEASED_ON_TIME).count() == 34
    for name, handler in _handlers():
        events.unsubscribe(name, handler)
    try:
        without_small = _release_queries(demo_users, 3)
        without_large = _release_queries(demo_users, 30)
    finally:
        for name, handler in _handlers():
            events.subscribe(name, handler)
    assert large - small == without_large - without_small  # nothing per guarantee
    # one INSERT … SELECT per batch, then its evidence leaves: one SELECT back, one INSERT
    # (a COPY on PostgreSQL, which Django's query log does not see)
    assert small - without_small == (2 if connection.vendor == "postgresql" else 3)


def _handlers():
    from eguarantee.credit import subscribers

    return [("guarantee.release_batch", subscribers.on_release_batch), ("guarantee.release", subscribers.on_release)]


def test_a_beneficiary_releasing_early_is_recorded(demo_users):
    guarantee = issued(demo_users)
    services.confirm_release(guarantee, actor=demo_users["beneficiary_operator"], comment="工程已完工")
    record = only_record(guarantee)
    assert record.kind == RecordKind.RELEASED_EARLY and record.organization_id == guarantee.applicant_id


def test_an_approved_surrender_is_recorded_and_a_refused_one_is_not(demo_users):
    refused = issued(demo_users)
    services.request_surrender(refused, actor=demo_users["applicant_admin"], reason="不再需要")
    services.decide_surrender(refused, actor=demo_users["guarantor_reviewer"], approve=False, comment="不予退保")
    assert not CreditRecord.objects.exists()
    services.request_surrender(refused, actor=demo_users["applicant_admin"], reason="决定不参加投标")
    services.decide_surrender(refused, actor=demo_users["guarantor_reviewer"], approve=True)
    record = only_record(refused)
    assert record.kind == RecordKind.SURRENDERED and record.organization_id == refused.applicant_id


def test_a_paid_claim_is_recorded(demo_users):
    guarantee = issued(demo_users)
    services.transition(guarantee, "claim_paid", actor=demo_users["guarantor_reviewer"])
    record = only_record(guarantee)
    assert record.kind == RecordKind.CLAIMED and record.polarity == Polarity.NEGATIVE


def test_hearing_an_event_twice_writes_one_record(ready):
    guarantee = under_review(ready)
    moved = services.reject(guarantee, actor=ready["users"]["guarantor_reviewer"], reason="资料不全")
    event = GuaranteeEvent.objects.get(guarantee=guarantee, action="reject")
    events.publish("guarantee.reject", guarantee=moved, event=event, actor=None)
    assert CreditRecord.objects.filter(guarantee=guarantee).count() == 1


class Boom(Exception):
    pass


def test_a_rolled_back_transition_leaves_no_record(ready):
    guarantee = under_review(ready)
    with pytest.raises(Boom), transaction.atomic():
        services.reject(guarantee, actor=ready["users"]["guarantor_reviewer"], reason="资料不全")
        assert CreditRecord.objects.filter(guarantee=guarantee).count() == 1
        raise Boom
    assert not CreditRecord.objects.exists()
    assert Guarantee.objects.get(pk=guarantee.pk).status == GuaranteeStatus.UNDER_REVIEW


def test_a_release_batch_rolled_back_is_recorded_when_it_runs_again(demo_users):
    """The records of a batch go with it; the memo of what was written must go too, or the
    second run would skip them."""
    expired = [issued(demo_users, end_in_days=-1) for _ in range(4)]

    def fail_late_in_the_batch(name, guarantee, event, actor):
        if guarantee.pk == expired[-1].pk:
            raise Boom

    events.subscribe("guarantee.release", fail_late_in_the_batch)
    try:
        with pytest.raises(Boom):
            services.release_expired()
    finally:
        events.unsubscribe("guarantee.release", fail_late_in_the_batch)
    assert not CreditRecord.objects.exists()
    assert Guarantee.objects.filter(status=GuaranteeStatus.ISSUED).count() == 4
    assert services.release_expired() == 4
    assert sorted(CreditRecord.objects.values_list("guarantee_id", flat=True)) == sorted(g.pk for g in expired)


def test_a_batch_event_records_the_batch_at_once(demo_users):
    """For `guarantee.release_batch`, should the release job publish one."""
    batch = [issued(demo_users, end_in_days=-1) for _ in range(3)]
    made = GuaranteeEvent.objects.bulk_create(GuaranteeEvent(guarantee=g, action="release") for g in batch)
    stamp = made[0].created_at
    for event in made:
        event.created_at = stamp
    GuaranteeEvent.objects.filter(pk__in=[e.pk for e in made]).update(created_at=stamp)
    with transaction.atomic():
        events.publish("guarantee.release_batch", guarantees=batch, events=made, actor=None)
        with CaptureQueriesContext(connection) as captured:
            for guarantee, event in zip(batch, made, strict=True):
                events.publish("guarantee.release", guarantee=guarantee, event=event, actor=None)
    assert len(captured) == 0
    assert CreditRecord.objects.filter(kind=RecordKind.RELEASED_ON_TIME).count() == 3
