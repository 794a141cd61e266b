"""Public lookups kept in memory until PostgreSQL says what they show has changed.

Outside a test transaction (transactional_db): notifications are sent at commit. On SQLite,
which has none, the same tests check that nothing is kept and every lookup reads the
database (nothing is skipped)."""

import time

import pytest
from django.core.cache import cache
from django.db import connection

from eguarantee.evidence import services, verification
from eguarantee.evidence.lookup_cache import LOOKUPS, LookupCache
from eguarantee.evidence.models import Entry, Witness
from eguarantee.evidence.testing import issue, raw
from eguarantee.guarantees.choices import GuaranteeStatus

pytestmark = pytest.mark.django_db(transaction=True)
IP = "10.0.0.5"
POSTGRESQL = connection.vendor == "postgresql"


@pytest.fixture
def kept(settings):
    settings.EVIDENCE_LOOKUP_CACHE = True
    cache.clear()
    LOOKUPS.stop()
    yield LOOKUPS
    LOOKUPS.stop()  # its connection too: the test database is dropped at the end


@pytest.fixture
def issued(kept, ready, log_key):
    guarantee = issue(ready)
    services.publish_head()
    if POSTGRESQL:
        assert kept.wait_listening()
    return guarantee


def lookup(guarantee):
    return verification.by_number(guarantee.number, guarantee.verification_code, IP)


def after_notice(change):
    """Make `change` (committed at once: no transaction here), and wait until this process
    has heard of it."""
    before = LOOKUPS.epoch()
    change()
    deadline = time.monotonic() + 10
    while LOOKUPS.epoch() == before:
        assert time.monotonic() < deadline, "no notification"
        time.sleep(0.005)


def test_a_lookup_is_kept_and_answered_again_without_a_query(issued, django_assert_num_queries):
    first = lookup(issued)
    if not POSTGRESQL:
        assert LOOKUPS.epoch() is None and first.key is None
        with django_assert_num_queries(1):  # every lookup reads the database
            assert lookup(issued) == first
        return
    assert first.genuine and first.evidence.verified and first.key is not None
    with django_assert_num_queries(0):
        again = lookup(issued)
    assert again is first
    # A miss is never kept: guesses would only crowd out real lookups.
    with django_assert_num_queries(1):
        assert not verification.by_number(issued.number, "WRONG234", IP).genuine
    with django_assert_num_queries(1):
        assert not verification.by_number(issued.number, "WRONG234", IP).genuine


def test_changes_made_through_the_platform_or_behind_it_are_seen_by_the_next_lookup(
    issued, ready, demo_users, witnesses
):
    if not POSTGRESQL:
        assert LOOKUPS.epoch() is None and lookup(issued).key is None
        return
    assert lookup(issued).status == GuaranteeStatus.ISSUED
    after_notice(lambda: raw("UPDATE guarantees_guarantee SET status = 'released' WHERE id = %s", issued.pk))
    assert lookup(issued).status_label == "已解保"
    after_notice(
        lambda: raw("UPDATE accounts_organization SET name = '改名后的保证人' WHERE id = %s", issued.guarantor_id)
    )
    assert lookup(issued).guarantor == "改名后的保证人"
    assert lookup(issued).evidence.witnesses == 2
    after_notice(
        lambda: services.set_witness_active(
            Witness.objects.get(name="xm-zjj"), active=False, actor=demo_users["platform_admin"]
        )
    )
    assert lookup(issued).evidence.witnesses == 1
    later = issue(ready)
    assert lookup(later).evidence.state == "pending"  # kept, until a head holds its leaf
    assert lookup(later).evidence.state == "pending"
    after_notice(services.publish_head)
    assert lookup(later).evidence.verified
    entry = Entry.objects.get(kind="guarantee.document", object_id=issued.versions.get().pk)
    after_notice(
        lambda: raw("UPDATE evidence_entry SET data = replace(data, 'version', 'versiom') WHERE id = %s", entry.pk)
    )
    assert lookup(issued).evidence.state == "failed"  # a leaf altered behind the platform


def test_a_lookup_read_before_a_change_is_not_kept():
    cache_ = LookupCache()
    with cache_._lock:
        cache_._listening = True
    epoch = cache_._epoch
    cache_._forget()  # a notification while the lookup was reading
    cache_.put("key", "stale", epoch)
    assert cache_.get("key") is None
    cache_.put("key", "fresh", cache_._epoch)
    assert cache_.get("key") == "fresh"
    cache_._forget(listening=False)  # the listener's connection lost
    assert cache_.get("key") is None
    cache_.put("key", "fresh", cache_._epoch)
    assert cache_.get("key") is None


def test_without_its_connection_nothing_is_kept_until_it_listens_again(issued, django_assert_num_queries):
    if not POSTGRESQL:
        assert not LOOKUPS.listening()
        return
    lookup(issued)
    with connection.cursor() as cursor:  # what a restarted or failed-over database does
        cursor.execute(  # this test database's listener: other test runs have their own
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE query = 'LISTEN eguarantee_lookups' AND datname = current_database()"
        )
    deadline = time.monotonic() + 10
    while LOOKUPS.listening():
        assert time.monotonic() < deadline
        time.sleep(0.005)
    with django_assert_num_queries(1):
        assert lookup(issued).genuine  # read from the database, not from memory
    assert LOOKUPS.wait_listening()  # back after RETRY_SECONDS
    lookup(issued)
    with django_assert_num_queries(0):
        assert lookup(issued).genuine


def test_the_api_and_the_page_build_a_kept_answer_once(issued, client):
    built = []
    real = verification.rendered

    def counting(result, name, render):
        return real(result, name, lambda: built.append(name) or render())

    verification.rendered = counting
    try:
        body = {"number": issued.number, "code": issued.verification_code}
        for _ in range(3):
            assert client.post("/api/v1/verify/", body, content_type="application/json").json()["genuine"]
            assert "真实有效" in client.post("/verify/", {"mode": "number", **body}).content.decode()
    finally:
        verification.rendered = real
    if POSTGRESQL:
        assert sorted(built, key=str) == sorted([("api", "http", "testserver"), "page"], key=str)
    else:
        assert len(built) == 6  # nothing kept: built for every answer
