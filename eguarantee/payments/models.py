"""保费支付: online orders at a payment gateway, every notification the gateways sent, offline
transfer vouchers, and refunds recorded when a paid application is cancelled."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from eguarantee.core.models import TimeStampedModel

from .choices import NotificationOutcome, OrderStatus, RefundMethod, VoucherStatus

MONEY = {"max_digits": 18, "decimal_places": 2}


class PaymentOrder(TimeStampedModel):
    """One attempt to pay a guarantee's premium online. At most one open and one paid order per
    guarantee (database constraints), so two clicks never open two cashiers, and two
    notifications never pay twice."""

    guarantee = models.ForeignKey(
        "guarantees.Guarantee", verbose_name="电子保函", on_delete=models.PROTECT, related_name="payment_orders"
    )
    out_trade_no = models.CharField("商户订单号", max_length=32, unique=True)
    amount = models.DecimalField("支付金额（元）", **MONEY)
    gateway = models.CharField("支付渠道", max_length=20)
    status = models.CharField(
        "状态", max_length=20, choices=OrderStatus.choices, default=OrderStatus.CREATED, db_index=True
    )
    gateway_trade_no = models.CharField("渠道交易号", max_length=64, blank=True, db_index=True)
    cashier_url = models.URLField("收银台地址", max_length=2000, blank=True)
    paid_at = models.DateTimeField("支付时间", null=True, blank=True)
    closed_at = models.DateTimeField("关闭时间", null=True, blank=True)
    refunded_at = models.DateTimeField("退款时间", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="经办人", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "支付订单"
        verbose_name_plural = "支付订单"
        ordering = ["-created_at", "-id"]
        default_permissions = ("view", "add")
        constraints = [
            models.UniqueConstraint(
                fields=["guarantee"], condition=Q(status="created"), name="payment_order_one_open_per_guarantee"
            ),
            models.UniqueConstraint(
                fields=["guarantee"], condition=Q(status="paid"), name="payment_order_one_paid_per_guarantee"
            ),
        ]

    def __str__(self):
        return self.out_trade_no

    def get_absolute_url(self):
        return reverse("payments:order_detail", args=[self.pk])


class PaymentNotification(models.Model):
    """Every notification a gateway sent, accepted or refused, as it arrived: administrators see
    a refused one (forged, tampered, replayed) here, and it changes nothing else."""

    changelog_exempt = True  # a log itself, written once

    gateway = models.CharField("支付渠道", max_length=20)
    received_at = models.DateTimeField("接收时间", default=timezone.now, db_index=True)
    remote_addr = models.GenericIPAddressField("来源地址", null=True, blank=True)
    raw_body = models.TextField("原始报文")
    body_sha256 = models.CharField("报文SHA-256", max_length=64)
    signature_ok = models.BooleanField("验签通过", default=False)
    outcome = models.CharField("处理结果", max_length=30, choices=NotificationOutcome.choices, db_index=True)
    message = models.CharField("说明", max_length=300, blank=True)
    out_trade_no = models.CharField("商户订单号", max_length=64, blank=True, db_index=True)
    trade_no = models.CharField("渠道交易号", max_length=64, blank=True)
    nonce = models.CharField("随机串", max_length=64, blank=True, db_index=True)
    order = models.ForeignKey(
        PaymentOrder,
        verbose_name="支付订单",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notifications",
    )

    class Meta:
        verbose_name = "支付通知"
        verbose_name_plural = "支付通知"
        ordering = ["-received_at", "-id"]
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.out_trade_no or '—'} {self.get_outcome_display()}"

    def get_absolute_url(self):
        return reverse("payments:notification_detail", args=[self.pk])

    @property
    def accepted(self):
        from .choices import SUCCESS_OUTCOMES

        return self.outcome in SUCCESS_OUTCOMES


def voucher_path(instance, filename):
    return f"payments/vouchers/{timezone.now():%Y/%m}/{instance.guarantee_id}-{filename}"


class TransferVoucher(models.Model):
    """An applicant's bank-transfer voucher (转账凭证) for the premium, kept with its hashes,
    until the guarantor confirms the money arrived (or says it did not)."""

    guarantee = models.ForeignKey(
        "guarantees.Guarantee", verbose_name="电子保函", on_delete=models.PROTECT, related_name="transfer_vouchers"
    )
    amount = models.DecimalField("转账金额（元）", **MONEY)
    payer_account = models.CharField("付款账号", max_length=64)
    file = models.FileField("凭证文件", upload_to=voucher_path, max_length=255)
    original_name = models.CharField("原文件名", max_length=255)
    size = models.PositiveBigIntegerField("文件大小（字节）")
    content_type = models.CharField("文件类型", max_length=100)
    sm3 = models.CharField("SM3", max_length=64)
    sha256 = models.CharField("SHA-256", max_length=64)
    status = models.CharField(
        "状态", max_length=20, choices=VoucherStatus.choices, default=VoucherStatus.SUBMITTED, db_index=True
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now, db_index=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="确认人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("确认时间", null=True, blank=True)
    decision_note = models.CharField("确认说明", max_length=300, blank=True)

    class Meta:
        verbose_name = "转账凭证"
        verbose_name_plural = "转账凭证"
        ordering = ["-uploaded_at", "-id"]
        default_permissions = ("view", "add")
        permissions = [("confirm_transfervoucher", "确认转账到账")]
        constraints = [
            models.UniqueConstraint(
                fields=["guarantee"], condition=Q(status="submitted"), name="transfer_voucher_one_pending"
            ),
        ]

    def __str__(self):
        return f"转账凭证 {self.original_name}"

    def get_absolute_url(self):
        return reverse("payments:voucher_detail", args=[self.pk])


class Refund(models.Model):
    """退款记录: written when a paid application is cancelled, against the paid online order or
    the confirmed transfer that brought the premium in."""

    changelog_exempt = True  # written once, with the cancellation that caused it

    guarantee = models.ForeignKey(
        "guarantees.Guarantee", verbose_name="电子保函", on_delete=models.PROTECT, related_name="refunds"
    )
    order = models.ForeignKey(
        PaymentOrder, verbose_name="支付订单", null=True, blank=True, on_delete=models.PROTECT, related_name="refunds"
    )
    voucher = models.ForeignKey(
        TransferVoucher,
        verbose_name="转账凭证",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="refunds",
    )
    amount = models.DecimalField("退款金额（元）", **MONEY)
    method = models.CharField("退款方式", max_length=20, choices=RefundMethod.choices)
    reason = models.TextField("原因", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("登记时间", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "退款记录"
        verbose_name_plural = "退款记录"
        ordering = ["-created_at", "-id"]
        default_permissions = ("view",)
        constraints = [models.UniqueConstraint(fields=["guarantee"], name="refund_one_per_guarantee")]

    def __str__(self):
        return f"退款 {self.amount} 元"
