"""Permission-matrix lines for 保费支付: applicants pay, guarantors confirm transfers, the
platform's administrator and auditor read everything, notifications only they see. The
gateway's notify endpoint is public (its signature is the proof)."""

from decimal import Decimal

from django.core.files.base import ContentFile

from eguarantee.core.matrix import ADMIN, APPLICANTS, AUDITOR, GUARANTORS, PNG, Route, pk
from eguarantee.guarantees.choices import GuaranteeStatus
from eguarantee.guarantees.tests.factories import issued
from eguarantee.payments.choices import NotificationOutcome, RefundMethod
from eguarantee.payments.models import PaymentNotification, PaymentOrder, Refund, TransferVoucher

NAMESPACES = {"payments"}
PUBLIC = {"payments:notify"}
PARTIES = APPLICANTS | GUARANTORS | ADMIN | AUDITOR
PLATFORM = ADMIN | AUDITOR


def awaiting(o):
    return issued(o.users, status=GuaranteeStatus.AWAITING_PAYMENT, premium=Decimal("1200.00"), issued_at=None)


def order(o):
    return PaymentOrder.objects.create(
        guarantee=awaiting(o),
        out_trade_no=f"PAYMATRIX{PaymentOrder.objects.count() + 1:08d}",
        amount=Decimal("1200.00"),
        gateway="sandbox",
        created_by=o.users["applicant_operator"],
    )


def voucher(o):
    made = TransferVoucher(
        guarantee=awaiting(o),
        amount=Decimal("1200.00"),
        payer_account="6222000011112222",
        original_name="回单.png",
        size=len(PNG),
        content_type="image/png",
        sm3="0" * 64,
        sha256="0" * 64,
        uploaded_by=o.users["applicant_operator"],
    )
    made.file.save("回单.png", ContentFile(PNG), save=True)
    return made


def refund(o):
    paid = order(o)
    return Refund.objects.create(guarantee=paid.guarantee, order=paid, amount=paid.amount, method=RefundMethod.GATEWAY)


def notification(o):
    return PaymentNotification.objects.create(
        gateway="sandbox", raw_body="{}", body_sha256="0" * 64, outcome=NotificationOutcome.BAD_SIGNATURE
    )


ROUTES = [
    Route("payments:guarantee_payment", PARTIES, pk(awaiting)),
    Route("payments:pay_online", APPLICANTS, pk(awaiting)),
    Route("payments:pay_online", APPLICANTS, pk(awaiting), method="post", ok=302),
    Route("payments:voucher_upload", APPLICANTS, pk(awaiting)),
    Route("payments:order_list", PARTIES),
    Route("payments:order_detail", PARTIES, pk(order)),
    Route("payments:voucher_list", PARTIES),
    Route("payments:voucher_detail", PARTIES, pk(voucher)),
    Route("payments:voucher_file", PARTIES, pk(voucher)),
    Route("payments:voucher_confirm", GUARANTORS, pk(voucher)),
    Route("payments:voucher_confirm", GUARANTORS, pk(voucher), method="post", ok=302),
    Route("payments:voucher_reject", GUARANTORS, pk(voucher)),
    Route("payments:voucher_reject", GUARANTORS, pk(voucher), method="post", data={"reason": "未到账"}, ok=302),
    Route("payments:refund_list", PARTIES),
    Route("payments:notification_list", PLATFORM),
    Route("payments:notification_detail", PLATFORM, pk(notification)),
    Route("api:payment-order-list", PARTIES),
    Route("api:payment-order-list", APPLICANTS, method="post", data=lambda o: {"guarantee": awaiting(o).pk}, ok=201),
    Route("api:payment-order-detail", PARTIES, pk(order)),
    Route("api:transfer-voucher-list", PARTIES),
    Route("api:transfer-voucher-detail", PARTIES, pk(voucher)),
    Route("api:transfer-voucher-confirm", GUARANTORS, pk(voucher), method="post"),
    Route("api:transfer-voucher-reject", GUARANTORS, pk(voucher), method="post", data={"reason": "未到账"}),
    Route("api:payment-refund-list", PARTIES),
    Route("api:payment-refund-detail", PARTIES, pk(refund)),
    Route("api:payment-notification-list", PLATFORM),
    Route("api:payment-notification-detail", PLATFORM, pk(notification)),
]

# Another applicant's or guarantor's records stay out of reach (403, not a silent 404).
SCOPE = [
    ("beneficiary_admin", "payments:voucher_detail", lambda users: _other_voucher(users), 403),
]


def _other_voucher(users):
    from eguarantee.core.matrix import Objects

    return voucher(Objects(users, "applicant_operator"))
