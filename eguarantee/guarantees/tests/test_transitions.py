"""The state machine's one door: allowed moves happen once, with their event; others are
refused with nothing written."""

import threading

import pytest
from django.db import connection

from eguarantee.core import events
from eguarantee.core.exceptions import Conflict, NotAllowed
from eguarantee.guarantees import services
from eguarantee.guarantees.choices import GuaranteeStatus
from eguarantee.guarantees.models import Guarantee, GuaranteeEvent

from .factories import issued

pytestmark = pytest.mark.django_db


def test_a_move_writes_its_event_and_publishes_it(demo_users):
    guarantee = issued(demo_users, status=GuaranteeStatus.SUBMITTED, number=None)
    heard = []
    handler = lambda name, **payload: heard.append((name, payload["event"].to_status))  # noqa: E731
    events.subscribe("guarantee.accept", handler)
    try:
        moved = services.transition(guarantee, "accept", actor=demo_users["guarantor_reviewer"], comment="资料齐全")
    finally:
        events.unsubscribe("guarantee.accept", handler)
    assert moved.status == GuaranteeStatus.UNDER_REVIEW
    event = GuaranteeEvent.objects.get(guarantee=guarantee)
    assert (event.from_status, event.to_status, event.comment) == ("submitted", "under_review", "资料齐全")
    assert event.actor == demo_users["guarantor_reviewer"]
    assert heard == [("guarantee.accept", "under_review")]


def test_a_move_the_table_does_not_allow_is_refused(demo_users):
    guarantee = issued(demo_users)
    with pytest.raises(Conflict) as exc:
        services.transition(guarantee, "approve", actor=demo_users["guarantor_reviewer"])
    assert exc.value.code == "invalid_transition" and "已出函" in exc.value.message
    assert not GuaranteeEvent.objects.exists()


def test_the_wrong_party_is_refused(demo_users):
    guarantee = issued(demo_users, status=GuaranteeStatus.SUBMITTED, number=None)
    with pytest.raises(NotAllowed):
        services.transition(guarantee, "accept", actor=demo_users["applicant_admin"])
    with pytest.raises(NotAllowed):
        services.transition(issued(demo_users), "release", actor=demo_users["guarantor_admin"])  # the job's move
    assert Guarantee.objects.get(pk=guarantee.pk).status == GuaranteeStatus.SUBMITTED


def test_the_system_releases_and_the_guarantee_is_closed(demo_users):
    released = services.transition(issued(demo_users), "release", actor=None)
    assert released.status == GuaranteeStatus.RELEASED and released.closed_at is not None


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_at_once_one_wins(demo_users):
    guarantee = issued(demo_users, status=GuaranteeStatus.SUBMITTED, number=None)
    outcomes = []
    barrier = threading.Barrier(2)

    def accept(user):
        barrier.wait()
        try:
            services.transition(guarantee, "accept", actor=user)
            outcomes.append("ok")
        except Conflict as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=accept, args=(demo_users[r],)) for r in ("guarantor_reviewer", "guarantor_admin")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["invalid_transition", "ok"]
    assert GuaranteeEvent.objects.filter(guarantee=guarantee, action="accept").count() == 1


def test_the_timeline_is_its_own_trail_not_repeated_in_the_change_log(demo_users):
    from django.contrib.contenttypes.models import ContentType

    from eguarantee.audit.models import ObjectChange

    guarantee = issued(demo_users, status=GuaranteeStatus.SUBMITTED, number=None)
    services.transition(guarantee, "accept", actor=demo_users["guarantor_reviewer"])
    event_type = ContentType.objects.get_for_model(GuaranteeEvent)
    assert not ObjectChange.objects.filter(content_type=event_type).exists()
    change = ObjectChange.objects.filter(content_type=ContentType.objects.get_for_model(Guarantee)).latest("id")
    assert change.prechange_data["status"] == "submitted" and change.postchange_data["status"] == "under_review"
