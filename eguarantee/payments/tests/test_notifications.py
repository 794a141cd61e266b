"""The notify endpoint against forged, tampered, stale and replayed notifications: each is
refused with its code, logged for administrators, and writes nothing else."""

import json
import time

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from eguarantee.core.testing import assert_api_error
from eguarantee.guarantees.choices import GuaranteeStatus
from eguarantee.guarantees.models import GuaranteeEvent
from eguarantee.guarantees.services import cancel
from eguarantee.payments import services
from eguarantee.payments.choices import NotificationOutcome, OrderStatus
from eguarantee.payments.models import PaymentNotification
from eguarantee.payments.sandbox_server import Keys

from .conftest import signed

pytestmark = pytest.mark.django_db
NOTIFY = "/payments/notify/sandbox/"


@pytest.fixture
def order(awaiting, demo_users, gateway_keys):
    return services.start_payment(awaiting, actor=demo_users["applicant_operator"])


def post(client, body):
    return client.post(NOTIFY, body, content_type="application/json", REMOTE_ADDR="127.0.0.1")


def assert_nothing_written(order, code, *, signature_ok):
    order.refresh_from_db()
    order.guarantee.refresh_from_db()
    assert order.status == OrderStatus.CREATED and order.gateway_trade_no == "" and order.paid_at is None
    assert order.guarantee.status == GuaranteeStatus.AWAITING_PAYMENT
    assert not GuaranteeEvent.objects.filter(guarantee=order.guarantee).exists()
    log = PaymentNotification.objects.get()
    assert (log.outcome, log.signature_ok) == (code, signature_ok)
    return log


def test_the_endpoint_is_where_start_payment_tells_the_gateway(order):
    assert reverse("payments:notify", args=["sandbox"]) == NOTIFY
    assert "notify_url=http%3A%2F%2F127.0.0.1%3A8000%2Fpayments%2Fnotify%2Fsandbox%2F" in order.cashier_url


def test_a_good_notification_pays_the_guarantee_once(client, order, gateway_keys):
    body = signed(gateway_keys, order, trade_no="SB2026112700001")
    response = post(client, body)
    assert response.status_code == 200 and response.content == b"success"
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID and order.gateway_trade_no == "SB2026112700001" and order.paid_at
    order.guarantee.refresh_from_db()
    assert order.guarantee.status == GuaranteeStatus.PAID
    event = GuaranteeEvent.objects.get(guarantee=order.guarantee)
    assert (event.action, event.actor, event.from_status, event.to_status) == (
        "gateway_paid",
        None,
        "awaiting_payment",
        "paid",
    )
    assert event.data == {"out_trade_no": order.out_trade_no, "trade_no": "SB2026112700001", "amount": "1200.00"}
    log = PaymentNotification.objects.get()
    assert log.outcome == NotificationOutcome.ACCEPTED and log.signature_ok and log.order == order
    assert log.raw_body == body.decode() and log.remote_addr == "127.0.0.1"


def test_the_same_notification_again_is_success_without_a_second_event(client, order, gateway_keys):
    body = signed(gateway_keys, order)
    assert post(client, body).content == b"success"
    assert post(client, body).content == b"success"  # a replay of what was already accepted
    again = signed(gateway_keys, order)  # the gateway's retry: same trade, fresh nonce and time
    assert post(client, again).content == b"success"
    assert GuaranteeEvent.objects.filter(guarantee=order.guarantee, action="gateway_paid").count() == 1
    outcomes = list(PaymentNotification.objects.order_by("id").values_list("outcome", flat=True))
    assert outcomes == ["accepted", "duplicate", "duplicate"]


@pytest.mark.parametrize(
    ("make", "code", "signature_ok"),
    [
        (lambda keys, order: signed(_stranger(), order), "bad_signature", False),
        (lambda keys, order: _tampered(signed(keys, order), amount="0.01"), "bad_signature", False),
        (lambda keys, order: _tampered(signed(keys, order), sign="bm90IGEgc2lnbmF0dXJl"), "bad_signature", False),
        (lambda keys, order: signed(keys, order, amount="0.01"), "amount_mismatch", True),
        (lambda keys, order: signed(keys, order, amount="1200.10"), "amount_mismatch", True),
        (lambda keys, order: signed(keys, order, out_trade_no="PAY20260101000000FFFFFFFFFF"), "unknown_order", True),
        (lambda keys, order: signed(keys, order, timestamp=str(int(time.time()) - 11 * 60)), "stale", True),
        (lambda keys, order: signed(keys, order, timestamp=str(int(time.time()) + 11 * 60)), "stale", True),
        (lambda keys, order: b"out_trade_no=1&amount=1200.00", "malformed", False),
        (lambda keys, order: _tampered(signed(keys, order), extra="x"), "malformed", False),
        (lambda keys, order: signed(keys, order, amount="1200"), "malformed", True),
        (lambda keys, order: signed(keys, order, paid_at="昨天"), "malformed", True),
    ],
    ids=[
        "other-key",
        "amount-changed-after-signing",
        "garbage-signature",
        "wrong-amount",
        "amount-ten-fen-more",
        "unknown-order",
        "stale",
        "from-the-future",
        "not-json",
        "extra-field",
        "amount-without-cents",
        "bad-time",
    ],
)
def test_bad_notifications_are_refused_and_write_nothing(client, order, gateway_keys, make, code, signature_ok):
    response = post(client, make(gateway_keys, order))
    body = assert_api_error(response, 400, code)
    assert body["error"]["message"]
    log = assert_nothing_written(order, code, signature_ok=signature_ok)
    assert log.message == body["error"]["message"]


def test_an_amount_mismatch_names_both_amounts_and_the_order(client, order, gateway_keys):
    body = assert_api_error(post(client, signed(gateway_keys, order, amount="0.01")), 400, "amount_mismatch")
    assert body["error"]["details"] == {"expected": "1200.00", "received": "0.01"}
    assert PaymentNotification.objects.get().order == order  # administrators see which order was attacked


def test_a_nonce_used_before_by_another_notification_is_a_replay(client, order, gateway_keys, demo_users):
    from eguarantee.guarantees.tests.factories import issued

    first = signed(gateway_keys, order, nonce="n" * 32)
    assert post(client, first).content == b"success"
    other = issued(demo_users, status=GuaranteeStatus.AWAITING_PAYMENT, premium=order.amount, issued_at=None)
    second_order = services.start_payment(other, actor=demo_users["applicant_admin"])
    response = post(client, signed(gateway_keys, second_order, nonce="n" * 32, trade_no="SB-OTHER"))
    assert_api_error(response, 400, "replayed")
    other.refresh_from_db()
    assert other.status == GuaranteeStatus.AWAITING_PAYMENT and not other.events.exists()


def test_a_second_trade_for_a_paid_order_is_refused_for_a_person_to_check(client, order, gateway_keys):
    assert post(client, signed(gateway_keys, order, trade_no="SB-1")).content == b"success"
    assert_api_error(post(client, signed(gateway_keys, order, trade_no="SB-2")), 409, "already_paid")
    order.refresh_from_db()
    assert order.gateway_trade_no == "SB-1"
    assert GuaranteeEvent.objects.filter(guarantee=order.guarantee).count() == 1


def test_a_notification_for_a_cancelled_application_is_refused(client, order, gateway_keys, demo_users):
    cancel(order.guarantee, actor=demo_users["applicant_operator"], reason="不投了")
    order.refresh_from_db()
    assert order.status == OrderStatus.CLOSED
    assert_api_error(post(client, signed(gateway_keys, order)), 409, "order_closed")
    order.guarantee.refresh_from_db()
    assert order.guarantee.status == GuaranteeStatus.CANCELLED
    assert list(order.guarantee.events.values_list("action", flat=True)) == ["cancel"]


def test_without_a_configured_key_nothing_is_trusted(client, order, gateway_keys, settings, tmp_path):
    settings.PAYMENT_SANDBOX_PUBLIC_KEY_FILE = str(tmp_path / "missing.pub")
    assert_api_error(post(client, signed(gateway_keys, order)), 400, "gateway_key_missing")
    assert_nothing_written(order, "gateway_key_missing", signature_ok=False)


def test_an_oversized_body_is_refused(client, order, gateway_keys):
    huge = json.dumps({"x": "y" * (services.MAX_NOTIFICATION_BYTES + 10)}).encode()
    assert_api_error(post(client, huge), 400, "malformed")
    assert len(PaymentNotification.objects.get().raw_body) == services.MAX_NOTIFICATION_BYTES


def test_only_post_and_only_known_gateways(client, order):
    assert_api_error(client.get(NOTIFY), 405, "method_not_allowed")
    assert_api_error(
        client.post("/payments/notify/alipay/", b"{}", content_type="application/json"), 404, "unknown_gateway"
    )
    assert not PaymentNotification.objects.exists()


def _stranger():
    import tempfile
    from pathlib import Path

    return Keys(Path(tempfile.mkdtemp()) / "stranger.key")


def _tampered(body, **changes):
    data = json.loads(body)
    data.update(changes)
    return json.dumps(data).encode()


FIELD_NAMES = ["out_trade_no", "trade_no", "amount", "paid_at", "nonce", "timestamp", "sign", "extra"]
JUNK = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=30), st.lists(st.integers()))


@hypothesis_settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    body=st.one_of(
        st.binary(max_size=200),
        st.dictionaries(st.sampled_from(FIELD_NAMES), JUNK, max_size=8).map(lambda d: json.dumps(d).encode()),
    )
)
@example(body=b"\xff\x00")  # not UTF-8, and a NUL that PostgreSQL's text refuses
def test_random_bodies_are_refused_with_a_code_never_a_500(client, order, body):
    response = post(client, body)
    assert response.status_code in (400, 409), response.content
    assert response.json()["error"]["code"] in NotificationOutcome.values
    order.refresh_from_db()
    assert order.status == OrderStatus.CREATED and not GuaranteeEvent.objects.exists()
