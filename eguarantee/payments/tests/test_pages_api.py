"""What the parties see and do on the pages and through the API."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from eguarantee.core.matrix import PNG
from eguarantee.core.testing import assert_api_error
from eguarantee.guarantees.choices import GuaranteeStatus
from eguarantee.guarantees.tests.factories import issued
from eguarantee.payments import services
from eguarantee.payments.choices import VoucherStatus
from eguarantee.payments.models import PaymentNotification, PaymentOrder, TransferVoucher

from .conftest import signed

pytestmark = pytest.mark.django_db


def page(client, name, *args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_the_applicant_sees_both_ways_to_pay(awaiting, client_for):
    text = page(client_for("applicant_operator"), "payments:guarantee_payment", awaiting.pk)
    assert "1200.00" in text and 'id="pay-online"' in text and 'id="upload-voucher"' in text
    text = page(client_for("guarantor_reviewer"), "payments:guarantee_payment", awaiting.pk)
    assert 'id="pay-online"' not in text and 'id="upload-voucher"' not in text


def test_pay_online_sends_the_browser_to_the_cashier(awaiting, client_for, settings):
    settings.PAYMENT_SANDBOX_URL = "http://127.0.0.1:8765"
    response = client_for("applicant_operator").post(reverse("payments:pay_online", args=[awaiting.pk]))
    order = PaymentOrder.objects.get()
    assert response.status_code == 302 and response["Location"] == order.cashier_url
    assert order.cashier_url.startswith("http://127.0.0.1:8765/cashier?")


def test_pay_online_refused_shows_why_and_writes_nothing(demo_users, client_for):
    paid = issued(demo_users, status=GuaranteeStatus.PAID, premium=Decimal("1200.00"))
    client = client_for("applicant_operator")
    response = client.post(reverse("payments:pay_online", args=[paid.pk]), follow=True)
    assert "不是待支付状态" in response.content.decode() and not PaymentOrder.objects.exists()


def test_voucher_upload_page_and_the_guarantor_confirms(awaiting, client_for):
    client = client_for("applicant_operator")
    upload = SimpleUploadedFile("回单.png", PNG, content_type="image/png")
    url = reverse("payments:voucher_upload", args=[awaiting.pk])
    response = client.post(url, {"payer_account": "6222000011112222", "amount": "1200.00", "file": upload})
    assert response.status_code == 302 and response["Location"] == reverse(
        "payments:guarantee_payment", args=[awaiting.pk]
    )
    voucher = TransferVoucher.objects.get()
    assert "等待保证人确认到账" in page(client, "payments:guarantee_payment", awaiting.pk)

    guarantor = client_for("guarantor_reviewer")
    text = page(guarantor, "payments:voucher_detail", voucher.pk)
    assert 'id="voucher-confirm"' in text and voucher.sm3 in text
    assert guarantor.get(reverse("payments:voucher_file", args=[voucher.pk])).getvalue() == PNG
    response = guarantor.post(reverse("payments:voucher_confirm", args=[voucher.pk]), {"comment": "已到账"})
    assert response.status_code == 302
    voucher.refresh_from_db()
    awaiting.refresh_from_db()
    assert voucher.status == VoucherStatus.CONFIRMED and awaiting.status == GuaranteeStatus.PAID


def test_a_voucher_that_is_not_an_image_is_refused_on_the_page(awaiting, client_for):
    upload = SimpleUploadedFile("回单.png", b"MZ\x90\x00 not an image", content_type="image/png")
    response = client_for("applicant_operator").post(
        reverse("payments:voucher_upload", args=[awaiting.pk]),
        {"payer_account": "6222000011112222", "amount": "1200.00", "file": upload},
    )
    assert response.status_code == 200 and "文件内容不是允许的类型" in response.content.decode()
    assert not TransferVoucher.objects.exists()


def test_the_administrator_sees_refused_notifications(awaiting, demo_users, client_for, gateway_keys, client):
    order = services.start_payment(awaiting, actor=demo_users["applicant_operator"])
    client.post(
        "/payments/notify/sandbox/", signed(gateway_keys, order, amount="0.01"), content_type="application/json"
    )
    admin = client_for("platform_admin")
    text = page(admin, "payments:notification_list")
    assert order.out_trade_no in text and "金额与订单不符" in text
    log = PaymentNotification.objects.get()
    text = page(admin, "payments:notification_detail", log.pk)
    assert "amount_mismatch" in text and "0.01" in text
    assert "金额与订单不符" in page(admin, "payments:order_detail", order.pk)
    assert order.out_trade_no in page(admin, "payments:order_list")
    # the applicant sees its order, never the notifications
    assert "金额与订单不符" not in page(client_for("applicant_operator"), "payments:order_detail", order.pk)


def test_export_of_orders(awaiting, demo_users, client_for):
    services.start_payment(awaiting, actor=demo_users["applicant_operator"])
    response = client_for("platform_auditor").get(reverse("payments:order_list") + "?export=xlsx")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")


# ---------------------------------------------------------------- API


def test_api_opens_an_order_and_answers_the_cashier(awaiting, api_for):
    response = api_for("applicant_operator").post(
        reverse("api:payment-order-list"), {"guarantee": awaiting.pk}, format="json"
    )
    assert response.status_code == 201
    body = response.json()
    assert body["amount"] == "1200.00" and body["status"] == "created" and "/cashier?" in body["cashier_url"]
    listed = api_for("guarantor_reviewer").get(reverse("api:payment-order-list")).json()
    assert [row["out_trade_no"] for row in listed["results"]] == [body["out_trade_no"]]


def test_api_errors_have_stable_codes(demo_users, api_for):
    paid = issued(demo_users, status=GuaranteeStatus.PAID, premium=Decimal("1200.00"))
    client = api_for("applicant_operator")
    assert_api_error(
        client.post(reverse("api:payment-order-list"), {"guarantee": paid.pk}, format="json"),
        409,
        "not_awaiting_payment",
    )
    assert_api_error(
        client.post(reverse("api:payment-order-list"), {"guarantee": 987654}, format="json"), 404, "not_found"
    )
    assert_api_error(client.post(reverse("api:payment-order-list"), {}, format="json"), 400, "validation_error")


def test_api_voucher_upload_and_confirm(awaiting, api_for):
    upload = SimpleUploadedFile("回单.png", PNG, content_type="image/png")
    response = api_for("applicant_admin").post(
        reverse("api:transfer-voucher-list"),
        {"guarantee": awaiting.pk, "payer_account": "6222", "amount": "1200.00", "file": upload},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    voucher = response.json()
    assert voucher["status"] == "submitted" and len(voucher["sm3"]) == 64
    guarantor = api_for("guarantor_admin")
    confirmed = guarantor.post(reverse("api:transfer-voucher-confirm", args=[voucher["id"]]), {}, format="json")
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed"
    again = guarantor.post(reverse("api:transfer-voucher-reject", args=[voucher["id"]]), {"reason": "x"}, format="json")
    assert_api_error(again, 409, "voucher_decided")
    awaiting.refresh_from_db()
    assert awaiting.status == GuaranteeStatus.PAID


def test_api_refused_amount_on_upload(awaiting, api_for):
    upload = SimpleUploadedFile("回单.png", PNG, content_type="image/png")
    response = api_for("applicant_admin").post(
        reverse("api:transfer-voucher-list"),
        {"guarantee": awaiting.pk, "payer_account": "6222", "amount": "12.00", "file": upload},
        format="multipart",
    )
    body = assert_api_error(response, 400, "amount_mismatch")
    assert "amount" in body["error"]["details"]
    assert not TransferVoucher.objects.exists()
