from django.urls import reverse
from rest_framework import serializers

from ..models import PaymentNotification, PaymentOrder, Refund, TransferVoucher


class PaymentOrderSerializer(serializers.ModelSerializer):
    guarantee_order_number = serializers.CharField(source="guarantee.order_number", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = PaymentOrder
        fields = [
            "id",
            "guarantee",
            "guarantee_order_number",
            "out_trade_no",
            "amount",
            "gateway",
            "status",
            "status_display",
            "gateway_trade_no",
            "cashier_url",
            "paid_at",
            "closed_at",
            "refunded_at",
            "created_at",
        ]
        read_only_fields = fields


class StartPaymentSerializer(serializers.Serializer):
    guarantee = serializers.IntegerField(help_text="电子保函ID（须为待支付状态）")


class TransferVoucherSerializer(serializers.ModelSerializer):
    guarantee_order_number = serializers.CharField(source="guarantee.order_number", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    file_url = serializers.SerializerMethodField()

    class Meta:
        model = TransferVoucher
        fields = [
            "id",
            "guarantee",
            "guarantee_order_number",
            "amount",
            "payer_account",
            "original_name",
            "size",
            "content_type",
            "sm3",
            "sha256",
            "status",
            "status_display",
            "uploaded_at",
            "decided_at",
            "decision_note",
            "file_url",
        ]
        read_only_fields = fields

    def get_file_url(self, obj) -> str:
        return reverse("payments:voucher_file", args=[obj.pk])


class VoucherUploadSerializer(serializers.Serializer):
    guarantee = serializers.IntegerField(help_text="电子保函ID（须为待支付状态）")
    payer_account = serializers.CharField(max_length=64)
    amount = serializers.DecimalField(max_digits=18, decimal_places=2, help_text="转账金额（元），须与保费一致")
    file = serializers.FileField(help_text="银行回单：PDF、JPG 或 PNG")


class VoucherCommentSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class VoucherReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class RefundSerializer(serializers.ModelSerializer):
    guarantee_order_number = serializers.CharField(source="guarantee.order_number", read_only=True)
    out_trade_no = serializers.CharField(source="order.out_trade_no", default=None, read_only=True)

    class Meta:
        model = Refund
        fields = [
            "id",
            "guarantee",
            "guarantee_order_number",
            "order",
            "out_trade_no",
            "voucher",
            "amount",
            "method",
            "reason",
            "created_at",
        ]
        read_only_fields = fields


class PaymentNotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = PaymentNotification
        fields = [
            "id",
            "gateway",
            "received_at",
            "remote_addr",
            "signature_ok",
            "outcome",
            "message",
            "out_trade_no",
            "trade_no",
            "nonce",
            "order",
            "body_sha256",
            "raw_body",
        ]
        read_only_fields = fields
