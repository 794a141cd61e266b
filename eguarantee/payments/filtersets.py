import django_filters

from eguarantee.core.filtersets import SearchFilterSet

from .choices import NotificationOutcome, OrderStatus, VoucherStatus
from .models import PaymentNotification, PaymentOrder, Refund, TransferVoucher


class OrderFilterSet(SearchFilterSet):
    search_fields = ("out_trade_no", "gateway_trade_no", "guarantee__order_number", "guarantee__applicant__name")
    status = django_filters.ChoiceFilter(label="状态", choices=OrderStatus.choices)
    created_after = django_filters.DateFilter(label="下单日期从", field_name="created_at", lookup_expr="date__gte")
    created_before = django_filters.DateFilter(label="至", field_name="created_at", lookup_expr="date__lte")

    class Meta:
        model = PaymentOrder
        fields = ["q", "status", "created_after", "created_before"]


class VoucherFilterSet(SearchFilterSet):
    search_fields = ("payer_account", "guarantee__order_number", "guarantee__applicant__name", "original_name")
    status = django_filters.ChoiceFilter(label="状态", choices=VoucherStatus.choices)

    class Meta:
        model = TransferVoucher
        fields = ["q", "status"]


class NotificationFilterSet(SearchFilterSet):
    search_fields = ("out_trade_no", "trade_no", "nonce")
    outcome = django_filters.ChoiceFilter(label="处理结果", choices=NotificationOutcome.choices)
    signature_ok = django_filters.BooleanFilter(label="验签通过")
    received_after = django_filters.DateFilter(label="接收日期从", field_name="received_at", lookup_expr="date__gte")
    received_before = django_filters.DateFilter(label="至", field_name="received_at", lookup_expr="date__lte")

    class Meta:
        model = PaymentNotification
        fields = ["q", "outcome", "signature_ok", "received_after", "received_before"]


class RefundFilterSet(SearchFilterSet):
    search_fields = ("guarantee__order_number", "guarantee__applicant__name", "order__out_trade_no")

    class Meta:
        model = Refund
        fields = ["q", "method"]
