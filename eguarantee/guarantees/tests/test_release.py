"""解保 (6.6.8): the daily job releases what has expired — batched, idempotent, resumable,
safe to run twice at once — and tells the applicant; the beneficiary may release early."""

import threading

import pytest
from django.core.management import call_command
from django.db import connection

from eguarantee.core.exceptions import NotAllowed
from eguarantee.guarantees import services
from eguarantee.guarantees.choices import GuaranteeStatus
from eguarantee.guarantees.models import Guarantee, GuaranteeEvent
from eguarantee.notifications.models import InSiteMessage, SmsMessage

from .factories import issued

pytestmark = pytest.mark.django_db


def released_ids():
    return set(Guarantee.objects.filter(status=GuaranteeStatus.RELEASED).values_list("pk", flat=True))


def test_expired_guarantees_are_released_once_and_the_applicant_told(demo_users):
    expired = [issued(demo_users, end_in_days=-1) for _ in range(5)]
    current = issued(demo_users, end_in_days=0)  # ends today: still in force
    surrendered = issued(demo_users, end_in_days=-3, status=GuaranteeStatus.SURRENDERED)
    assert services.release_expired(batch_size=2) == 5
    assert released_ids() == {g.pk for g in expired}
    assert Guarantee.objects.get(pk=current.pk).status == GuaranteeStatus.ISSUED
    assert Guarantee.objects.get(pk=surrendered.pk).status == GuaranteeStatus.SURRENDERED
    assert GuaranteeEvent.objects.filter(action="release").count() == 5
    assert services.release_expired() == 0  # idempotent
    assert GuaranteeEvent.objects.filter(action="release").count() == 5
    admin = demo_users["applicant_admin"]
    # one message per batch that held the applicant's guarantees (batches commit on their own)
    bodies = list(InSiteMessage.objects.filter(recipient=admin).values_list("body", flat=True))
    assert sorted(bodies) == sorted(
        f"您单位的保函{'、'.join(g.number for g in part)}共{len(part)}份已到期，平台已自动解保。"
        for part in (expired[0:2], expired[2:4], expired[4:5])
    )
    assert SmsMessage.objects.filter(mobile=admin.mobile, purpose="guarantee_released").count() == 3


def test_the_command_and_the_job(demo_users):
    guarantee = issued(demo_users, end_in_days=-1)
    call_command("release_expired", stdout=open("/dev/null", "w"))
    assert Guarantee.objects.get(pk=guarantee.pk).status == GuaranteeStatus.RELEASED


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_release_each_guarantee_once(demo_users):
    expired = [issued(demo_users, end_in_days=-1) for _ in range(12)]
    barrier, counts = threading.Barrier(2), []

    def run():
        barrier.wait()
        try:
            counts.append(services.release_expired(batch_size=3))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(counts) == 12 and released_ids() == {g.pk for g in expired}
    assert GuaranteeEvent.objects.filter(action="release").count() == 12


def test_the_beneficiary_may_release_early(demo_users):
    guarantee = issued(demo_users)
    with pytest.raises(NotAllowed):
        services.confirm_release(guarantee, actor=demo_users["applicant_admin"])
    released = services.confirm_release(guarantee, actor=demo_users["beneficiary_operator"], comment="工程已完工")
    assert released.status == GuaranteeStatus.RELEASED and released.closed_at is not None
