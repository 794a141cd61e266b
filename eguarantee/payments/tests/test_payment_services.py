"""start_payment, offline transfer and refunds, through the services."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from eguarantee.core.exceptions import Conflict, NotAllowed, ServiceError
from eguarantee.core.matrix import PNG
from eguarantee.guarantees import services as guarantee_services
from eguarantee.guarantees.choices import GuaranteeStatus
from eguarantee.guarantees.models import GuaranteeEvent
from eguarantee.guarantees.tests.factories import issued
from eguarantee.payments import services
from eguarantee.payments.choices import OrderStatus, RefundMethod, VoucherStatus
from eguarantee.payments.models import PaymentOrder, Refund, TransferVoucher

from .conftest import signed

pytestmark = pytest.mark.django_db


def png(name="回单.png", content=PNG):
    return SimpleUploadedFile(name, content, content_type="image/png")


def upload(guarantee, users, **overrides):
    values = {
        "actor": users["applicant_operator"],
        "upload": png(),
        "payer_account": "6222 0000 1111",
        "amount": "1200.00",
    }
    values.update(overrides)
    return services.upload_voucher(guarantee, **values)


# ---------------------------------------------------------------- start_payment


def test_start_payment_opens_one_order_and_reuses_it(awaiting, demo_users, gateway_keys):
    first = services.start_payment(awaiting, actor=demo_users["applicant_operator"])
    assert first.amount == Decimal("1200.00") and first.gateway == "sandbox" and first.status == OrderStatus.CREATED
    assert first.out_trade_no.startswith("PAY") and len(first.out_trade_no) <= 32
    assert "amount=1200.00" in first.cashier_url and f"out_trade_no={first.out_trade_no}" in first.cashier_url
    again = services.start_payment(awaiting, actor=demo_users["applicant_admin"])
    assert again.pk == first.pk and PaymentOrder.objects.count() == 1
    assert not GuaranteeEvent.objects.exists()  # opening an order is not a move of the guarantee


@pytest.mark.parametrize(
    ("role", "error"),
    [("guarantor_reviewer", NotAllowed), ("beneficiary_admin", NotAllowed), ("platform_admin", NotAllowed)],
)
def test_only_the_applicant_pays(awaiting, demo_users, role, error):
    with pytest.raises(error):
        services.start_payment(awaiting, actor=demo_users[role])
    assert not PaymentOrder.objects.exists()


@pytest.mark.parametrize("status", [GuaranteeStatus.UNDER_REVIEW, GuaranteeStatus.PAID, GuaranteeStatus.ISSUED])
def test_only_an_approved_application_awaiting_payment_is_paid(demo_users, status):
    guarantee = issued(demo_users, status=status, premium=Decimal("1200.00"))
    with pytest.raises(Conflict) as exc:
        services.start_payment(guarantee, actor=demo_users["applicant_operator"])
    assert exc.value.code == "not_awaiting_payment" and not PaymentOrder.objects.exists()


def test_no_premium_no_payment(demo_users):
    guarantee = issued(demo_users, status=GuaranteeStatus.AWAITING_PAYMENT, premium=None)
    with pytest.raises(Conflict) as exc:
        services.start_payment(guarantee, actor=demo_users["applicant_operator"])
    assert exc.value.code == "no_premium"


def test_a_pending_voucher_stops_paying_twice(awaiting, demo_users):
    upload(awaiting, demo_users)
    with pytest.raises(Conflict) as exc:
        services.start_payment(awaiting, actor=demo_users["applicant_operator"])
    assert exc.value.code == "voucher_pending" and not PaymentOrder.objects.exists()


# ---------------------------------------------------------------- offline transfer


def test_a_voucher_is_kept_with_its_hashes_and_the_guarantor_confirms_it(awaiting, demo_users):
    voucher = upload(awaiting, demo_users)
    assert voucher.status == VoucherStatus.SUBMITTED and voucher.content_type == "image/png"
    assert voucher.amount == Decimal("1200.00") and voucher.payer_account == "6222 0000 1111"
    assert len(voucher.sm3) == 64 and len(voucher.sha256) == 64 and voucher.file.read() == PNG
    assert awaiting.events.count() == 0

    confirmed = services.confirm_transfer(voucher, actor=demo_users["guarantor_reviewer"], comment="已到账")
    assert confirmed.status == VoucherStatus.CONFIRMED and confirmed.decided_by == demo_users["guarantor_reviewer"]
    awaiting.refresh_from_db()
    assert awaiting.status == GuaranteeStatus.PAID
    event = GuaranteeEvent.objects.get(guarantee=awaiting)
    assert event.action == "confirm_payment" and "6222 0000 1111" in event.data["reference"]


def test_confirming_a_transfer_closes_an_open_online_order(awaiting, demo_users, gateway_keys, client):
    order = services.start_payment(awaiting, actor=demo_users["applicant_operator"])
    voucher = upload(awaiting, demo_users)
    services.confirm_transfer(voucher, actor=demo_users["guarantor_admin"])
    order.refresh_from_db()
    assert order.status == OrderStatus.CLOSED and order.closed_at
    # A late online payment for it is refused, not counted twice.
    response = client.post("/payments/notify/sandbox/", signed(gateway_keys, order), content_type="application/json")
    assert response.json()["error"]["code"] == "order_closed"
    assert GuaranteeEvent.objects.filter(guarantee=awaiting).count() == 1


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"upload": png("回单.png", b"just some text, not an image")}, "file_type_not_allowed"),
        ({"upload": png("回单.pdf")}, "file_extension_mismatch"),
        ({"upload": png("回单.png", b"")}, "file_empty"),
        ({"upload": None}, "file_required"),
        ({"amount": "1000.00"}, "amount_mismatch"),
        ({"amount": "-1200"}, "invalid_amount"),
        ({"amount": "abc"}, "invalid_amount"),
        ({"payer_account": "  "}, "payer_account_required"),
    ],
)
def test_bad_vouchers_write_nothing(awaiting, demo_users, overrides, code):
    with pytest.raises(ServiceError) as exc:
        upload(awaiting, demo_users, **overrides)
    assert exc.value.code == code and exc.value.message
    assert not TransferVoucher.objects.exists()


def test_voucher_rules_of_party_and_state(awaiting, demo_users):
    with pytest.raises(NotAllowed):
        upload(awaiting, demo_users, actor=demo_users["guarantor_admin"])
    voucher = upload(awaiting, demo_users)
    with pytest.raises(Conflict) as exc:
        upload(awaiting, demo_users)
    assert exc.value.code == "voucher_pending"
    with pytest.raises(NotAllowed):
        services.confirm_transfer(voucher, actor=demo_users["applicant_admin"])
    services.reject_transfer(voucher, actor=demo_users["guarantor_reviewer"], reason="未查到该笔款项")
    voucher.refresh_from_db()
    assert voucher.status == VoucherStatus.REJECTED and voucher.decision_note == "未查到该笔款项"
    with pytest.raises(Conflict) as exc:
        services.confirm_transfer(voucher, actor=demo_users["guarantor_reviewer"])
    assert exc.value.code == "voucher_decided"
    awaiting.refresh_from_db()
    assert awaiting.status == GuaranteeStatus.AWAITING_PAYMENT and not awaiting.events.exists()
    assert upload(awaiting, demo_users).status == VoucherStatus.SUBMITTED  # may try again


def test_a_rejection_needs_a_reason(awaiting, demo_users):
    voucher = upload(awaiting, demo_users)
    with pytest.raises(ServiceError) as exc:
        services.reject_transfer(voucher, actor=demo_users["guarantor_reviewer"], reason=" ")
    assert exc.value.code == "reason_required"


# ---------------------------------------------------------------- refunds


def test_cancelling_after_online_payment_refunds_the_order(awaiting, demo_users, gateway_keys):
    order = services.start_payment(awaiting, actor=demo_users["applicant_operator"])
    services.handle_notification(signed(gateway_keys, order))
    guarantee_services.cancel(awaiting, actor=demo_users["applicant_operator"], reason="项目终止")
    order.refresh_from_db()
    assert order.status == OrderStatus.REFUNDED and order.refunded_at
    refund = Refund.objects.get()
    assert (refund.guarantee, refund.order, refund.amount, refund.method) == (
        awaiting,
        order,
        Decimal("1200.00"),
        RefundMethod.GATEWAY,
    )
    assert refund.reason == "项目终止" and refund.created_by == demo_users["applicant_operator"]


def test_cancelling_after_a_confirmed_transfer_records_an_offline_refund(awaiting, demo_users):
    voucher = services.confirm_transfer(upload(awaiting, demo_users), actor=demo_users["guarantor_reviewer"])
    guarantee_services.cancel(awaiting, actor=demo_users["applicant_admin"], reason="撤回")
    refund = Refund.objects.get()
    assert (refund.voucher, refund.order, refund.method, refund.amount) == (
        voucher,
        None,
        RefundMethod.OFFLINE,
        Decimal("1200.00"),
    )


def test_cancelling_before_payment_closes_the_order_and_refunds_nothing(awaiting, demo_users, gateway_keys):
    order = services.start_payment(awaiting, actor=demo_users["applicant_operator"])
    guarantee_services.cancel(awaiting, actor=demo_users["applicant_operator"], reason="不需要了")
    order.refresh_from_db()
    assert order.status == OrderStatus.CLOSED and not Refund.objects.exists()


def test_a_failed_refund_record_undoes_the_cancellation(awaiting, demo_users, gateway_keys, monkeypatch):
    """The refund is written in the cancellation's transaction: both or neither."""
    order = services.start_payment(awaiting, actor=demo_users["applicant_operator"])
    services.handle_notification(signed(gateway_keys, order))

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Refund.objects, "create", broken)
    with pytest.raises(RuntimeError):
        guarantee_services.cancel(awaiting, actor=demo_users["applicant_operator"], reason="x")
    awaiting.refresh_from_db()
    order.refresh_from_db()
    assert awaiting.status == GuaranteeStatus.PAID and order.status == OrderStatus.PAID
