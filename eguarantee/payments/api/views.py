from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from eguarantee.core.api import ReadOnlyScopedViewSet, ScopedViewSet
from eguarantee.core.scope import scoped_get

from .. import filtersets, selectors, services
from ..models import PaymentNotification, PaymentOrder, Refund, TransferVoucher
from . import serializers as s


def _guarantee(request, pk):
    """The guarantee named in the body, through the caller's scope (403 outside it, 404 unknown)."""
    return scoped_get(selectors.payable_guarantees(request.user), pk)


class PaymentOrderViewSet(ReadOnlyScopedViewSet):
    """在线支付订单. POST opens (or reuses) the order of a guarantee awaiting payment and
    answers its cashier_url: send the payer there."""

    model = PaymentOrder
    queryset = PaymentOrder.objects.none()
    selector = staticmethod(selectors.orders_for)
    serializer_class = s.PaymentOrderSerializer
    filterset_class = filtersets.OrderFilterSet
    ordering_fields = ["created_at", "paid_at", "amount"]

    @extend_schema(request=s.StartPaymentSerializer, responses={201: s.PaymentOrderSerializer})
    def create(self, request):
        body = s.StartPaymentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        order = services.start_payment(_guarantee(request, body.validated_data["guarantee"]), actor=request.user)
        return Response(s.PaymentOrderSerializer(order).data, status=status.HTTP_201_CREATED)


class TransferVoucherViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """转账凭证. Create with multipart/form-data (the voucher is a file); the guarantor confirms
    (the guarantee is then paid) or rejects it."""

    model = TransferVoucher
    queryset = TransferVoucher.objects.none()
    selector = staticmethod(selectors.vouchers_for)
    serializer_class = s.TransferVoucherSerializer
    filterset_class = filtersets.VoucherFilterSet
    ordering_fields = ["uploaded_at", "amount"]

    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        request={"multipart/form-data": s.VoucherUploadSerializer}, responses={201: s.TransferVoucherSerializer}
    )
    def create(self, request):
        body = s.VoucherUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        voucher = services.upload_voucher(
            _guarantee(request, data["guarantee"]),
            actor=request.user,
            upload=data["file"],
            payer_account=data["payer_account"],
            amount=data["amount"],
        )
        return Response(s.TransferVoucherSerializer(voucher).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.VoucherCommentSerializer, responses=s.TransferVoucherSerializer)
    @action(detail=True, methods=["post"], permission="payments.confirm_transfervoucher")
    def confirm(self, request, pk=None):
        body = s.VoucherCommentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        voucher = services.confirm_transfer(self.get_object(), actor=request.user, **body.validated_data)
        return Response(s.TransferVoucherSerializer(voucher).data)

    @extend_schema(request=s.VoucherReasonSerializer, responses=s.TransferVoucherSerializer)
    @action(detail=True, methods=["post"], permission="payments.confirm_transfervoucher")
    def reject(self, request, pk=None):
        body = s.VoucherReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        voucher = services.reject_transfer(self.get_object(), actor=request.user, **body.validated_data)
        return Response(s.TransferVoucherSerializer(voucher).data)


class RefundViewSet(ReadOnlyScopedViewSet):
    """退款记录: written when a paid application is cancelled."""

    model = Refund
    queryset = Refund.objects.none()
    selector = staticmethod(selectors.refunds_for)
    serializer_class = s.RefundSerializer
    filterset_class = filtersets.RefundFilterSet
    ordering_fields = ["created_at", "amount"]


class PaymentNotificationViewSet(ReadOnlyScopedViewSet):
    """Every notification the gateways sent, accepted or refused (platform only)."""

    model = PaymentNotification
    queryset = PaymentNotification.objects.none()
    selector = staticmethod(selectors.notifications_for)
    serializer_class = s.PaymentNotificationSerializer
    filterset_class = filtersets.NotificationFilterSet
    ordering_fields = ["received_at"]
