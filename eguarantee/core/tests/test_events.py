"""Domain events: in-transaction subscribers share the fact's fate; after-commit ones do not."""

import pytest
from django.db import transaction

from eguarantee.audit.models import LoginLog
from eguarantee.core import events

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def seen():
    calls = []

    def in_tx(name, **payload):
        calls.append(("tx", name, payload["value"]))
        LoginLog.objects.create(username=f"tx-{payload['value']}", success=True)

    def after(name, **payload):
        calls.append(("after", name, payload["value"]))

    def broken(name, **payload):
        raise RuntimeError("subscriber down")

    events.subscribe("test.fact", in_tx)
    events.subscribe("test.fact", broken, after_commit=True)
    events.subscribe("test.fact", after, after_commit=True)
    yield calls
    for handler in (in_tx, broken, after):
        events.unsubscribe("test.fact", handler)


def test_committed_fact_reaches_both_kinds(seen):
    with transaction.atomic():
        events.publish("test.fact", value=1)
        assert seen == [("tx", "test.fact", 1)]  # after-commit waits for the commit
    assert seen == [("tx", "test.fact", 1), ("after", "test.fact", 1)]  # a broken one stops nobody
    assert LoginLog.objects.filter(username="tx-1").exists()


def test_rolled_back_fact_reaches_no_after_commit_subscriber(seen):
    with pytest.raises(ValueError), transaction.atomic():
        events.publish("test.fact", value=2)
        raise ValueError("the business action failed")
    assert seen == [("tx", "test.fact", 2)]
    assert not LoginLog.objects.filter(username="tx-2").exists()  # rolled back with the fact
