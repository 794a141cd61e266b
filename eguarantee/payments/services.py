"""Writes of 保费支付: online payment through a gateway, offline transfer with a voucher the
guarantor confirms, and the refund recorded when a paid application is cancelled.

The guarantee moves only through eguarantee.guarantees.services (transition, confirm_payment),
inside the same transaction as the payment record, so a payment and its move commit together
or not at all.
"""

import hashlib
import secrets
import time
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from eguarantee.core import uploads
from eguarantee.core.exceptions import Conflict, NotAllowed, ServiceError
from eguarantee.core.permissions import require_perm
from eguarantee.evidence import services as evidence
from eguarantee.guarantees.choices import GuaranteeStatus
from eguarantee.guarantees.models import Guarantee

from .choices import NotificationOutcome, OrderStatus, RefundMethod, VoucherStatus
from .gateways import get_gateway
from .gateways.base import NotificationError
from .models import PaymentNotification, PaymentOrder, Refund, TransferVoucher

# A notification signed longer ago than this (or this far in the future) is refused: a
# captured message replayed later must not count as a payment.
FRESHNESS_SECONDS = 10 * 60
MAX_NOTIFICATION_BYTES = 16 * 1024
VOUCHER_TYPES = uploads.DOCUMENT_TYPES  # PDF, JPG, PNG: what bank receipts come as


class NotificationRefused(ServiceError):
    """Raised after the refused notification was logged; `.notification` is the log row."""

    notification = None


def _money(value):
    return f"{value:.2f}"


def _locked_guarantee(guarantee):
    return Guarantee.objects.select_for_update().get(pk=guarantee.pk)


def _require_applicant(actor, guarantee, message):
    if actor is None or actor.organization_id != guarantee.applicant_id:
        raise NotAllowed(message)


def _require_awaiting_payment(guarantee):
    if guarantee.status != GuaranteeStatus.AWAITING_PAYMENT:
        raise Conflict(
            f"保函当前状态为“{guarantee.get_status_display()}”，不是待支付状态。", code="not_awaiting_payment"
        )
    if not guarantee.premium or guarantee.premium <= 0:
        raise Conflict("该保函尚无应付保费。", code="no_premium")


# ---------------------------------------------------------------- online payment


def _base_url():
    return (getattr(settings, "PAYMENT_NOTIFY_BASE_URL", "") or settings.PUBLIC_BASE_URL).rstrip("/")


def _new_trade_no():
    return f"PAY{timezone.localtime():%Y%m%d%H%M%S}{secrets.token_hex(5).upper()}"


@transaction.atomic
def start_payment(guarantee, *, actor):
    """The applicant pays the premium online: an order at the configured gateway, and the
    cashier URL to send the payer to. An open order for the same amount is reused, so going
    back and paying again never opens a second order."""
    require_perm(actor, "payments.add_paymentorder")
    locked = _locked_guarantee(guarantee)
    _require_applicant(actor, locked, "只有该保函的申请人可以支付保费。")
    _require_awaiting_payment(locked)
    if locked.transfer_vouchers.filter(status=VoucherStatus.SUBMITTED).exists():
        raise Conflict("已上传转账凭证，正等待保证人确认到账，请勿重复支付。", code="voucher_pending")
    gateway = get_gateway()
    order = locked.payment_orders.filter(status=OrderStatus.CREATED).first()
    if order is not None and (order.gateway != gateway.code or order.amount != locked.premium):
        _close(order)
        order = None
    if order is None:
        order = PaymentOrder.objects.create(
            guarantee=locked,
            out_trade_no=_new_trade_no(),
            amount=locked.premium,
            gateway=gateway.code,
            created_by=actor,
        )
    order.guarantee = locked
    order.cashier_url = gateway.cashier_url(
        order,
        notify_url=_base_url() + reverse("payments:notify", args=[gateway.code]),
        return_url=_base_url() + reverse("payments:guarantee_payment", args=[locked.pk]),
    )
    order.save(update_fields=["cashier_url", "updated_at"])
    return order


def _close(order):
    order.status = OrderStatus.CLOSED
    order.closed_at = timezone.now()
    order.save(update_fields=["status", "closed_at", "updated_at"])


def handle_notification(raw, *, gateway_code=None, remote_addr=None):
    """A gateway's payment notification, as it arrived (bytes). Returns the log row of an
    accepted (or already accepted) notification; raises NotificationRefused with a stable code
    otherwise. Either way the notification is logged for administrators; a refused one writes
    nothing else.

    Not one atomic block on purpose: the refusal is logged after the attempt rolled back."""
    gateway = get_gateway(gateway_code)
    raw = bytes(raw)
    record = {
        "gateway": gateway.code,
        "remote_addr": remote_addr,
        # As text for the administrator: PostgreSQL's text refuses NUL, which JSON never needs.
        "raw_body": raw[:MAX_NOTIFICATION_BYTES].decode("utf-8", "replace").replace("\x00", "\ufffd"),
        "body_sha256": hashlib.sha256(raw).hexdigest(),
    }
    try:
        with transaction.atomic():
            if len(raw) > MAX_NOTIFICATION_BYTES:
                raise NotificationError("通知报文过大。", code="malformed")
            note = gateway.parse_notification(raw)
            record.update(signature_ok=True, out_trade_no=note.out_trade_no, trade_no=note.trade_no, nonce=note.nonce)
            order, outcome = _apply_notification(note, gateway, record)
            record.pop("order", None)
            return PaymentNotification.objects.create(**record, outcome=outcome, order=order)
    except ServiceError as exc:
        order = record.pop("order", None)
        if getattr(exc, "verified", False):
            record["signature_ok"] = True
        logged = PaymentNotification.objects.create(
            **record, outcome=_outcome_code(exc.code), message=exc.message[:300], order=order
        )
        refused = NotificationRefused(exc.message, code=exc.code, details=exc.details)
        refused.status = exc.status
        refused.notification = logged
        raise refused from None


def _outcome_code(code):
    return code if code in NotificationOutcome.values else NotificationOutcome.MALFORMED


def _apply_notification(note, gateway, record):
    """The business checks, in the order that tells the most without trusting anything
    unverified. Returns (order, outcome)."""
    if abs(time.time() - note.timestamp) > FRESHNESS_SECONDS:
        raise ServiceError("通知时间戳超出10分钟有效期，已拒绝（可能是重放）。", code="stale")
    order = PaymentOrder.objects.select_for_update().filter(out_trade_no=note.out_trade_no).first()
    if order is None or order.gateway != gateway.code:
        raise ServiceError("订单不存在。", code="unknown_order")
    record["order"] = order
    if note.amount != order.amount:
        raise ServiceError(
            f"支付金额 {_money(note.amount)} 元与订单金额 {_money(order.amount)} 元不符。",
            code="amount_mismatch",
            details={"expected": _money(order.amount), "received": _money(note.amount)},
        )
    reused = PaymentNotification.objects.filter(gateway=gateway.code, nonce=note.nonce, signature_ok=True)
    if reused.exclude(body_sha256=record["body_sha256"]).exists():
        raise ServiceError("随机串已被另一条通知使用过，已拒绝。", code="replayed")
    if order.status == OrderStatus.PAID:
        if order.gateway_trade_no == note.trade_no:
            return order, NotificationOutcome.DUPLICATE  # the gateway retried: say success again
        raise Conflict("该订单已由另一笔交易支付，请人工核对并退款。", code="already_paid")
    if order.status != OrderStatus.CREATED:
        raise Conflict(f"订单{order.get_status_display()}，不能再支付，请人工核对并退款。", code="order_closed")
    from eguarantee.guarantees.services import transition

    order.status = OrderStatus.PAID
    order.gateway_trade_no = note.trade_no
    order.paid_at = note.paid_at
    order.save(update_fields=["status", "gateway_trade_no", "paid_at", "updated_at"])
    transition(
        order.guarantee,
        "gateway_paid",
        actor=None,
        comment=f"{gateway.label}：订单 {order.out_trade_no}，交易号 {note.trade_no}，金额 {_money(note.amount)} 元",
        data={"out_trade_no": order.out_trade_no, "trade_no": note.trade_no, "amount": _money(note.amount)},
    )
    return order, NotificationOutcome.ACCEPTED


# ---------------------------------------------------------------- offline transfer


def _parse_amount(amount):
    try:
        value = Decimal(str(amount))
    except (InvalidOperation, ValueError):
        raise ServiceError("请输入正确的转账金额。", code="invalid_amount", field="amount") from None
    if not value.is_finite() or value <= 0 or value != value.quantize(Decimal("0.01")):
        raise ServiceError("转账金额须为正数，最多两位小数。", code="invalid_amount", field="amount")
    return value.quantize(Decimal("0.01"))


@transaction.atomic
def upload_voucher(guarantee, *, actor, upload, payer_account, amount):
    """The applicant paid by bank transfer and uploads the voucher; the guarantor confirms."""
    require_perm(actor, "payments.add_transfervoucher")
    locked = _locked_guarantee(guarantee)
    _require_applicant(actor, locked, "只有该保函的申请人可以上传转账凭证。")
    _require_awaiting_payment(locked)
    payer_account = (payer_account or "").strip()
    if not payer_account:
        raise ServiceError("请填写付款账号。", code="payer_account_required", field="payer_account")
    if len(payer_account) > 64:
        raise ServiceError("付款账号过长。", code="invalid_payer_account", field="payer_account")
    value = _parse_amount(amount)
    if value != locked.premium:
        raise ServiceError(
            f"转账金额 {_money(value)} 元与应付保费 {_money(locked.premium)} 元不符。",
            code="amount_mismatch",
            field="amount",
        )
    if locked.transfer_vouchers.filter(status=VoucherStatus.SUBMITTED).exists():
        raise Conflict("已有一张转账凭证等待保证人确认。", code="voucher_pending")
    if upload is None:
        raise ServiceError("请选择转账凭证文件。", code="file_required", field="file")
    mime = _check_file(upload)
    digests = uploads.file_digests(upload)
    voucher = TransferVoucher(
        guarantee=locked,
        amount=value,
        payer_account=payer_account,
        original_name=upload.name.rsplit("/", 1)[-1][:255],
        size=upload.size,
        content_type=mime,
        sm3=digests["sm3"],
        sha256=digests["sha256"],
        uploaded_by=actor,
    )
    voucher.file = upload
    voucher.save()
    evidence.record("payments.voucher", voucher.pk)
    return voucher


def _check_file(upload):
    from django.core.exceptions import ValidationError

    try:
        return uploads.check_upload(upload, allowed=VOUCHER_TYPES)
    except ValidationError as exc:
        raise ServiceError(exc.messages[0], code=exc.error_list[0].code or "invalid_file", field="file") from None


def _decidable(voucher, actor):
    require_perm(actor, "payments.confirm_transfervoucher")
    locked = TransferVoucher.objects.select_for_update().select_related("guarantee").get(pk=voucher.pk)
    if actor.organization_id != locked.guarantee.guarantor_id:
        raise NotAllowed("只有该保函的保证人可以确认转账。")
    if locked.status != VoucherStatus.SUBMITTED:
        raise Conflict(f"该凭证{locked.get_status_display()}，不能再处理。", code="voucher_decided")
    return locked


@transaction.atomic
def confirm_transfer(voucher, *, actor, comment=""):
    """The guarantor saw the money arrive: the voucher is confirmed and the guarantee paid."""
    from eguarantee.guarantees.services import confirm_payment

    locked = _decidable(voucher, actor)
    locked.status = VoucherStatus.CONFIRMED
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.decision_note = (comment or "").strip()[:300]
    locked.save()
    confirm_payment(
        locked.guarantee,
        actor=actor,
        reference=f"转账凭证{locked.pk}：付款账号 {locked.payer_account}，金额 {_money(locked.amount)} 元",
        comment=locked.decision_note,
    )
    return locked


@transaction.atomic
def reject_transfer(voucher, *, actor, reason):
    """The money did not arrive (or not in full): the applicant may upload again or pay online."""
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("请填写退回原因。", code="reason_required", field="reason")
    locked = _decidable(voucher, actor)
    locked.status = VoucherStatus.REJECTED
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.decision_note = reason[:300]
    locked.save()
    return locked


# ---------------------------------------------------------------- reactions to the guarantee's moves


def on_payment_confirmed(name, guarantee, event, actor, **payload):
    """The guarantor confirmed the premium (directly or through a voucher): an open online
    order must not take the money a second time, and other vouchers are void."""
    for order in PaymentOrder.objects.select_for_update().filter(guarantee=guarantee, status=OrderStatus.CREATED):
        _close(order)
    TransferVoucher.objects.filter(guarantee=guarantee, status=VoucherStatus.SUBMITTED).update(
        status=VoucherStatus.VOID, decision_note="保证人已确认收到保费"
    )


def on_guarantee_cancelled(name, guarantee, event, actor, **payload):
    """Cancelling an application closes its open order and voids its pending vouchers; when
    the premium was paid, the refund is recorded against what brought the money in, and a
    paid online order becomes refunded.

    "Paid" is read from the event's from_status as well as its "refund" entry: the move's
    own record of the state it left is the one taken under the row lock."""
    for order in PaymentOrder.objects.select_for_update().filter(guarantee=guarantee, status=OrderStatus.CREATED):
        _close(order)
    TransferVoucher.objects.filter(guarantee=guarantee, status=VoucherStatus.SUBMITTED).update(
        status=VoucherStatus.VOID, decision_note="申请已撤销"
    )
    data = event.data or {}
    if event.from_status != GuaranteeStatus.PAID and "refund" not in data:
        return
    order = PaymentOrder.objects.select_for_update().filter(guarantee=guarantee, status=OrderStatus.PAID).first()
    voucher = guarantee.transfer_vouchers.filter(status=VoucherStatus.CONFIRMED).order_by("-decided_at").first()
    if order is not None:
        order.status = OrderStatus.REFUNDED
        order.refunded_at = timezone.now()
        order.save(update_fields=["status", "refunded_at", "updated_at"])
        amount = order.amount
    elif voucher is not None:
        amount = voucher.amount
    else:  # confirmed by the guarantor without a voucher here: the premium it confirmed
        amount = guarantee.premium or _decimal_or_zero(data.get("refund"))
    try:
        with transaction.atomic():
            Refund.objects.create(
                guarantee=guarantee,
                order=order,
                voucher=None if order else voucher,
                amount=amount,
                method=RefundMethod.GATEWAY if order else RefundMethod.OFFLINE,
                reason=event.comment,
                created_by=actor,
            )
    except IntegrityError:
        raise Conflict("该保函已登记过退款。", code="already_refunded") from None


def _decimal_or_zero(text):
    try:
        value = Decimal(str(text))
    except (InvalidOperation, ValueError):
        return Decimal("0.00")
    return value if value.is_finite() else Decimal("0.00")
