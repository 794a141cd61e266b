"""The public lookups' operation-log rows, written in batches by a thread of the process.

Outside a test transaction (transactional_db): the writer has a connection of its own, which
could not see rows a test's transaction holds."""

import json
import logging
import time

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from eguarantee.audit import middleware
from eguarantee.audit.batch import Batch
from eguarantee.audit.models import OperationLog

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def batches(settings):
    settings.OPERATION_LOG_BATCH_ROWS = 3
    settings.OPERATION_LOG_BATCH_SECONDS = 60
    made = []

    def make():
        made.append(Batch(OperationLog))
        return made[-1]

    yield make
    for batch in made:
        batch.close()  # its thread's connection too: the test database is dropped at the end


def row(n, **fields):
    values = {
        "user_name": "匿名",
        "ip": "10.0.0.9",
        "request_id": f"req-{n}",
        "method": "POST",
        "path": "/verify/",
        "module": "门户",
        "action": "verify",
        "result": OperationLog.Result.SUCCESS,
        "status_code": 200,
        "duration_ms": 3,
        "params": {"number": f"HXDB{n:04d}", "code": "********", "note": "查验"},
        "user_agent": "pytest",
    }
    return OperationLog(**{**values, **fields})


def written():
    return set(OperationLog.objects.values_list("request_id", flat=True))


def eventually(check, seconds=10):
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "not written in time"
        time.sleep(0.02)


def test_a_full_batch_is_written_at_once_by_the_writer(batches):
    batch = batches()
    batch.add(row(1))
    batch.add(row(2))
    time.sleep(0.3)
    assert written() == set() and batch.pending() == 2  # not full, not yet due
    batch.add(row(3))
    eventually(lambda: written() == {"req-1", "req-2", "req-3"})
    assert batch.pending() == 0


def test_a_batch_that_does_not_fill_is_written_after_its_seconds(batches, settings):
    settings.OPERATION_LOG_BATCH_ROWS = 100
    settings.OPERATION_LOG_BATCH_SECONDS = 1
    batch = batches()
    started = time.monotonic()
    batch.add(row(1))
    eventually(lambda: written() == {"req-1"})
    assert time.monotonic() - started >= 0.9


def test_rows_read_back_as_the_orm_saves_them(batches):
    batch = batches()
    saved = row(0, request_id="orm", time=timezone.now())
    saved.save()
    kept = row(0, request_id="batch", time=saved.time)
    batch.add(kept)
    batch.flush()  # on this thread, now
    a, b = (OperationLog.objects.get(request_id=rid) for rid in ("orm", "batch"))
    fields = [f.attname for f in OperationLog._meta.concrete_fields if f.attname not in ("id", "request_id")]
    assert {f: getattr(a, f) for f in fields} == {f: getattr(b, f) for f in fields}
    assert b.params == {"number": "HXDB0000", "code": "********", "note": "查验"} and b.chain_seq is None


def test_more_rows_than_one_statement_can_hold_are_written(batches, settings):
    settings.OPERATION_LOG_BATCH_ROWS = 10**6  # never due: flushed by hand
    batch = batches()
    for n in range(4000):  # 4,000 × 18 values: past PostgreSQL's 65,535 parameters
        batch.add(row(n))
    batch.flush()
    assert OperationLog.objects.count() == 4000


def test_a_batch_the_database_refuses_is_logged_and_the_writer_goes_on(batches, caplog):
    batch = batches()
    with caplog.at_level(logging.ERROR):
        batch.add(row(1, status_code=-1))  # outside the column's CHECK: the whole batch is refused
        batch.flush()
    assert "1 operation-log rows of public lookups not written" in caplog.text
    for n in (2, 3, 4):
        batch.add(row(n))
    eventually(lambda: written() == {"req-2", "req-3", "req-4"})


def test_close_writes_what_is_kept_and_a_new_row_starts_the_writer_again(batches):
    batch = batches()
    batch.add(row(1))
    batch.close()
    assert written() == {"req-1"}
    for n in (2, 3, 4):
        batch.add(row(n))
    eventually(lambda: written() == {"req-1", "req-2", "req-3", "req-4"})


def test_a_public_lookup_goes_to_the_batch_and_a_login_is_written_in_its_request(batches, demo_users):
    middleware.BATCH.close()
    client = Client(REMOTE_ADDR="10.0.0.7")
    body = {"number": "HXDB2099TB999999", "code": "WRONG234"}
    assert client.post("/api/v1/verify/", body, content_type="application/json").status_code == 200
    assert client.post(reverse("portal:verify"), {"mode": "number", **body}).status_code == 200
    assert not OperationLog.objects.filter(path__in=["/api/v1/verify/", reverse("portal:verify")]).exists()
    assert middleware.BATCH.pending() == 2
    client.post(reverse("accounts:login"), {"username": "applicant_admin", "password": "wrong-Pass1"})
    assert OperationLog.objects.filter(path=reverse("accounts:login")).exists()  # in its own request
    middleware.BATCH.close()
    api, page = (OperationLog.objects.get(path=path) for path in ("/api/v1/verify/", reverse("portal:verify")))
    assert api.params == {"number": "HXDB2099TB999999", "code": "********"} and api.ip == "10.0.0.7"
    assert page.params == {"mode": "number", "number": "HXDB2099TB999999", "code": "********"}
    assert api.user_name == page.user_name == "匿名" and api.result == page.result == OperationLog.Result.SUCCESS
    assert json.dumps(api.params).count("WRONG234") == 0
