"""The whole online payment over real HTTP: the platform (pytest-django's live server) and the
sandbox gateway (its own process, its own SM2 key) on loopback, as in production."""

import time
import urllib.parse
import urllib.request

import pytest
from django.urls import reverse

from eguarantee.guarantees.choices import GuaranteeStatus
from eguarantee.guarantees.models import Guarantee, GuaranteeEvent
from eguarantee.payments.choices import NotificationOutcome, OrderStatus
from eguarantee.payments.gateways import get_gateway
from eguarantee.payments.models import PaymentNotification, PaymentOrder

pytestmark = pytest.mark.django_db(transaction=True)


def http(url, data=None):
    """GET, or POST a form; returns (status, text)."""
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=body), timeout=15) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


@pytest.fixture
def platform(settings, live_server):
    settings.PAYMENT_NOTIFY_BASE_URL = live_server.url
    return live_server.url


def start_online_payment(client_for, guarantee):
    response = client_for("applicant_operator").post(reverse("payments:pay_online", args=[guarantee.pk]))
    assert response.status_code == 302
    return response["Location"]


def test_applicant_pays_online_and_the_signed_notification_pays_the_guarantee(platform, sandbox, awaiting, client_for):
    gateway_url = sandbox()
    cashier = start_online_payment(client_for, awaiting)
    assert cashier.startswith(f"{gateway_url}/cashier?")
    order = PaymentOrder.objects.get(guarantee=awaiting)
    assert order.status == OrderStatus.CREATED and order.amount == awaiting.premium

    status, page = http(cashier)
    assert status == 200 and "收银台" in page and order.out_trade_no in page and "¥ 1200.00" in page
    assert "确认支付" in page
    status, page = http(f"{gateway_url}/cashier/pay", {"out_trade_no": order.out_trade_no})
    assert status == 200 and "支付成功" in page and "商户已确认收到" in page
    assert f'href="{platform}/payments/guarantee/{awaiting.pk}/"' in page  # 返回商户

    awaiting.refresh_from_db()
    order.refresh_from_db()
    assert awaiting.status == GuaranteeStatus.PAID
    assert order.status == OrderStatus.PAID and order.gateway_trade_no.startswith("SB") and order.paid_at
    event = GuaranteeEvent.objects.get(guarantee=awaiting)
    assert event.action == "gateway_paid" and event.actor is None
    assert event.data == {"out_trade_no": order.out_trade_no, "trade_no": order.gateway_trade_no, "amount": "1200.00"}
    log = PaymentNotification.objects.get()
    assert log.outcome == NotificationOutcome.ACCEPTED and log.signature_ok and log.remote_addr == "127.0.0.1"

    # The gateway sends it again (a retry after a lost answer): success, and no second move.
    status, page = http(f"{gateway_url}/cashier/notify", {"out_trade_no": order.out_trade_no})
    assert status == 200 and "商户已确认收到" in page
    assert GuaranteeEvent.objects.filter(guarantee=awaiting).count() == 1
    assert list(PaymentNotification.objects.order_by("id").values_list("outcome", flat=True)) == [
        "accepted",
        "duplicate",
    ]
    # The applicant's premium page now shows the paid order and no pay button.
    page = client_for("applicant_operator").get(reverse("payments:guarantee_payment", args=[awaiting.pk]))
    text = page.content.decode()
    assert order.gateway_trade_no in text and "已支付" in text and 'id="pay-online"' not in text


def test_an_amount_changed_in_the_cashier_url_is_refused_by_the_platform(platform, sandbox, awaiting, client_for):
    gateway_url = sandbox()
    cashier = start_online_payment(client_for, awaiting).replace("amount=1200.00", "amount=0.01")
    status, page = http(cashier)
    assert status == 200 and "¥ 0.01" in page  # the gateway shows what the payer sent it
    order = PaymentOrder.objects.get()
    status, page = http(f"{gateway_url}/cashier/pay", {"out_trade_no": order.out_trade_no})
    assert status == 200 and "通知商户未成功（HTTP 400" in page and "amount_mismatch" in page

    awaiting.refresh_from_db()
    order.refresh_from_db()
    assert awaiting.status == GuaranteeStatus.AWAITING_PAYMENT and order.status == OrderStatus.CREATED
    assert not GuaranteeEvent.objects.exists()
    log = PaymentNotification.objects.get()
    assert (log.outcome, log.signature_ok, log.order) == ("amount_mismatch", True, order)


def test_the_gateway_retries_until_the_platform_answers_success(
    platform, sandbox, awaiting, client_for, settings, tmp_path
):
    gateway_url = sandbox(retry_delays=",".join(["0.3"] * 30))
    cashier = start_online_payment(client_for, awaiting)
    http(cashier)
    order = PaymentOrder.objects.get()
    trusted = settings.PAYMENT_SANDBOX_PUBLIC_KEY_FILE
    settings.PAYMENT_SANDBOX_PUBLIC_KEY_FILE = str(tmp_path / "not-yet-configured.pub")  # the platform refuses
    status, page = http(f"{gateway_url}/cashier/pay", {"out_trade_no": order.out_trade_no})
    assert status == 200 and "通知商户未成功" in page and "沙箱将稍后重试" in page
    assert Guarantee.objects.get(pk=awaiting.pk).status == GuaranteeStatus.AWAITING_PAYMENT

    settings.PAYMENT_SANDBOX_PUBLIC_KEY_FILE = trusted  # the key is configured: the next retry gets through
    deadline = time.monotonic() + 15
    while Guarantee.objects.get(pk=awaiting.pk).status != GuaranteeStatus.PAID:
        assert time.monotonic() < deadline, "the sandbox did not retry"
        time.sleep(0.1)
    time.sleep(1)  # later retries would be duplicates: there must be none once acknowledged
    assert GuaranteeEvent.objects.filter(guarantee=awaiting, action="gateway_paid").count() == 1
    outcomes = list(PaymentNotification.objects.order_by("id").values_list("outcome", flat=True))
    assert outcomes[-1] == "accepted" and set(outcomes[:-1]) == {"gateway_key_missing"}
    _, body = http(f"{gateway_url}/api/deliveries?out_trade_no={order.out_trade_no}")
    assert body.count('"status": 400') == len(outcomes) - 1 and body.count('"body": "success"') == 1


def test_the_platform_can_query_the_gateway(sandbox, awaiting, demo_users, settings):
    from eguarantee.payments import services

    gateway_url = sandbox()
    settings.PAYMENT_NOTIFY_BASE_URL = "http://127.0.0.1:9"  # nobody listens: only the query tells
    order = services.start_payment(awaiting, actor=demo_users["applicant_operator"])
    gateway = get_gateway()
    assert gateway.query(order).status == "unknown"
    http(order.cashier_url)
    assert gateway.query(order).status == "unpaid"
    http(f"{gateway_url}/cashier/pay", {"out_trade_no": order.out_trade_no})
    result = gateway.query(order)
    assert result.status == "paid" and result.trade_no.startswith("SB") and str(result.amount) == "1200.00"
    assert result.paid_at.utcoffset().total_seconds() == 8 * 3600


def test_the_sandbox_serves_its_public_key_and_keeps_it(sandbox, tmp_path):
    import json

    gateway_url = sandbox()
    _, body = http(f"{gateway_url}/public-key")
    key = json.loads(body)
    assert key["algorithm"] == "SM2" and len(key["public_key"]) == 130
    assert (tmp_path / "sandbox-keys" / "notify-sm2.pub").read_text().strip() == key["public_key"]
    assert oct((tmp_path / "sandbox-keys" / "notify-sm2.key").stat().st_mode & 0o777) == "0o600"
    again = sandbox()  # a restart reads the same pair
    assert json.loads(http(f"{again}/public-key")[1]) == key
