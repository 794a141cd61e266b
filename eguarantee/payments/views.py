import logging

from django.http import FileResponse, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import DetailView, FormView

from eguarantee.core.api import error_body
from eguarantee.core.exceptions import ServiceError
from eguarantee.core.scope import scoped_get
from eguarantee.core.views import ObjectActionView, ObjectDetailView, ObjectListView, ScopedMixin, ServiceFormMixin
from eguarantee.guarantees.choices import GuaranteeStatus

from . import filtersets, forms, selectors, services, tables
from .choices import OrderStatus, VoucherStatus
from .gateways import get_gateway

log = logging.getLogger(__name__)

MODULE = "保费支付"


# ---------------------------------------------------------------- a guarantee's premium page


class GuaranteePaymentView(ScopedMixin, DetailView):
    """保费支付: what is owed, how it was (or can be) paid, and any refund."""

    permission_required = "payments.view_paymentorder"
    selector = staticmethod(selectors.payable_guarantees)
    template_name = "payments/guarantee_payment.html"
    module_label = MODULE
    page_label = "保费支付"
    context_object_name = "guarantee"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        guarantee, user = self.object, self.request.user
        vouchers = list(selectors.vouchers_for(user).filter(guarantee=guarantee))
        payable = (
            guarantee.status == GuaranteeStatus.AWAITING_PAYMENT
            and user.organization_id == guarantee.applicant_id
            and bool(guarantee.premium)
        )
        pending = any(v.status == VoucherStatus.SUBMITTED for v in vouchers)
        context.update(
            orders=selectors.orders_for(user).filter(guarantee=guarantee),
            vouchers=vouchers,
            refunds=selectors.refunds_for(user).filter(guarantee=guarantee),
            can_pay=payable and not pending and user.has_perm("payments.add_paymentorder"),
            can_upload=payable and not pending and user.has_perm("payments.add_transfervoucher"),
            pending=pending,
            breadcrumbs=[(MODULE, None), ("保费支付", None), (str(guarantee), None)],
        )
        return context


class PayOnlineView(ObjectActionView):
    """在线支付: open (or reuse) the order and send the payer to the gateway's cashier."""

    permission_required = "payments.add_paymentorder"
    selector = staticmethod(selectors.payable_guarantees)
    action_label = "在线支付保费"
    success_message = "支付订单已创建，请在收银台完成支付。"
    order = None

    def perform(self, obj, form):
        self.order = services.start_payment(obj, actor=self.request.user)

    def success_url(self, obj):
        if self.order is not None:
            return self.order.cashier_url
        return reverse("payments:guarantee_payment", args=[obj.pk])


class VoucherUploadView(ScopedMixin, ServiceFormMixin, FormView):
    permission_required = "payments.add_transfervoucher"
    selector = staticmethod(selectors.payable_guarantees)
    form_class = forms.VoucherForm
    module_label = MODULE
    page_label = "上传转账凭证"
    success_message = "转账凭证已上传，等待保证人确认到账。"

    def get_initial(self):
        return {"amount": self.get_object().premium}

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.get_object(), **kwargs)

    def save(self, form):
        data = form.cleaned_data
        guarantee = self.get_object()
        services.upload_voucher(
            guarantee,
            actor=self.request.user,
            upload=data["file"],
            payer_account=data["payer_account"],
            amount=data["amount"],
        )
        return guarantee

    def get_success_url(self):
        return reverse("payments:guarantee_payment", args=[self.object.pk])

    def get_object(self, queryset=None):
        if not hasattr(self, "_object"):
            self._object = super().get_object(queryset)
        return self._object


# ---------------------------------------------------------------- orders, vouchers, refunds

ORDER_DETAIL = [
    ("商户订单号", "out_trade_no"),
    ("电子保函", lambda o: o.guarantee.order_number),
    ("申请人", lambda o: o.guarantee.applicant.name),
    ("支付金额（元）", "amount"),
    ("支付渠道", "gateway"),
    ("状态", lambda o: o.get_status_display()),
    ("渠道交易号", "gateway_trade_no"),
    ("支付时间", "paid_at"),
    ("关闭时间", "closed_at"),
    ("退款时间", "refunded_at"),
    ("经办人", "created_by"),
    ("下单时间", "created_at"),
]

VOUCHER_DETAIL = [
    ("电子保函", lambda v: v.guarantee.order_number),
    ("申请人", lambda v: v.guarantee.applicant.name),
    ("保证人", lambda v: v.guarantee.guarantor.name if v.guarantee.guarantor else None),
    ("应付保费（元）", lambda v: v.guarantee.premium),
    ("转账金额（元）", "amount"),
    ("付款账号", "payer_account"),
    ("凭证文件", "original_name"),
    ("SM3", "sm3"),
    ("SHA-256", "sha256"),
    ("状态", lambda v: v.get_status_display()),
    ("上传人", "uploaded_by"),
    ("上传时间", "uploaded_at"),
    ("确认人", "decided_by"),
    ("确认时间", "decided_at"),
    ("确认说明", "decision_note"),
]

NOTIFICATION_DETAIL = [
    ("接收时间", "received_at"),
    ("支付渠道", "gateway"),
    ("来源地址", "remote_addr"),
    ("验签通过", "signature_ok"),
    ("处理结果", lambda n: n.get_outcome_display()),
    ("结果代码", lambda n: n.outcome),
    ("说明", "message"),
    ("商户订单号", "out_trade_no"),
    ("渠道交易号", "trade_no"),
    ("随机串", "nonce"),
    ("报文SHA-256", "body_sha256"),
]


class OrderListView(ObjectListView):
    permission_required = "payments.view_paymentorder"
    selector = staticmethod(selectors.orders_for)
    filterset_class = filtersets.OrderFilterSet
    table_class = tables.OrderTable
    module_label = MODULE
    page_label = "支付订单"
    list_url_name = "payments:order_list"
    export_columns = ORDER_DETAIL
    export_filename = "支付订单"


class OrderDetailView(ObjectDetailView):
    permission_required = "payments.view_paymentorder"
    selector = staticmethod(selectors.orders_for)
    template_name = "payments/order_detail.html"
    detail_fields = ORDER_DETAIL
    module_label = MODULE
    page_label = "支付订单"
    list_url_name = "payments:order_list"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["notifications"] = selectors.notifications_for(self.request.user).filter(order=self.object)
        context["open"] = self.object.status == OrderStatus.CREATED
        return context


class VoucherListView(ObjectListView):
    permission_required = "payments.view_transfervoucher"
    selector = staticmethod(selectors.vouchers_for)
    filterset_class = filtersets.VoucherFilterSet
    table_class = tables.VoucherTable
    module_label = MODULE
    page_label = "转账凭证"
    list_url_name = "payments:voucher_list"
    export_columns = VOUCHER_DETAIL
    export_filename = "转账凭证"


class VoucherDetailView(ObjectDetailView):
    permission_required = "payments.view_transfervoucher"
    selector = staticmethod(selectors.vouchers_for)
    template_name = "payments/voucher_detail.html"
    detail_fields = VOUCHER_DETAIL
    module_label = MODULE
    page_label = "转账凭证"
    list_url_name = "payments:voucher_list"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        voucher, user = self.object, self.request.user
        context["can_decide"] = (
            voucher.status == VoucherStatus.SUBMITTED
            and user.organization_id == voucher.guarantee.guarantor_id
            and user.has_perm("payments.confirm_transfervoucher")
        )
        return context


class VoucherFileView(ScopedMixin, View):
    permission_required = "payments.view_transfervoucher"
    selector = staticmethod(selectors.vouchers_for)

    def get(self, request, pk):
        voucher = scoped_get(self.get_queryset(), pk)
        request.audit_sensitive = "下载转账凭证"
        return FileResponse(voucher.file.open("rb"), as_attachment=True, filename=voucher.original_name)


class VoucherConfirmView(ObjectActionView):
    permission_required = "payments.confirm_transfervoucher"
    selector = staticmethod(selectors.vouchers_for)
    action_label = "确认到账"
    form_class = forms.CommentForm
    success_message = "已确认到账，保函进入待出函状态。"

    def perform(self, obj, form):
        services.confirm_transfer(obj, actor=self.request.user, comment=form.cleaned_data["comment"])


class VoucherRejectView(ObjectActionView):
    permission_required = "payments.confirm_transfervoucher"
    selector = staticmethod(selectors.vouchers_for)
    action_label = "未到账退回"
    form_class = forms.ReasonForm
    success_message = "已退回该转账凭证。"

    def perform(self, obj, form):
        services.reject_transfer(obj, actor=self.request.user, reason=form.cleaned_data["reason"])


class RefundListView(ObjectListView):
    permission_required = "payments.view_refund"
    selector = staticmethod(selectors.refunds_for)
    filterset_class = filtersets.RefundFilterSet
    table_class = tables.RefundTable
    module_label = MODULE
    page_label = "退款记录"
    list_url_name = "payments:refund_list"


class NotificationListView(ObjectListView):
    permission_required = "payments.view_paymentnotification"
    selector = staticmethod(selectors.notifications_for)
    filterset_class = filtersets.NotificationFilterSet
    table_class = tables.NotificationTable
    module_label = MODULE
    page_label = "支付通知"
    list_url_name = "payments:notification_list"
    export_columns = NOTIFICATION_DETAIL
    export_filename = "支付通知"


class NotificationDetailView(ObjectDetailView):
    permission_required = "payments.view_paymentnotification"
    selector = staticmethod(selectors.notifications_for)
    template_name = "payments/notification_detail.html"
    detail_fields = NOTIFICATION_DETAIL
    module_label = MODULE
    page_label = "支付通知"
    list_url_name = "payments:notification_list"


# ---------------------------------------------------------------- the gateway's notification


@method_decorator(csrf_exempt, name="dispatch")
class NotifyView(View):
    """异步通知: the gateway POSTs here; no session, no CSRF token, its signature is the proof.
    Answers the gateway's "success", or a JSON error with the stable code (anything but
    "success" makes the gateway retry)."""

    http_method_names = ["post"]

    def post(self, request, gateway):
        try:
            get_gateway(gateway)
        except ServiceError as exc:
            return JsonResponse(error_body(exc.code, exc.message), status=404)
        raw = request.read(services.MAX_NOTIFICATION_BYTES + 1)
        try:
            services.handle_notification(raw, gateway_code=gateway, remote_addr=request.META.get("REMOTE_ADDR"))
        except ServiceError as exc:
            log.warning("payment notification refused: %s %s", exc.code, exc.message)
            return JsonResponse(error_body(exc.code, exc.message, exc.details), status=exc.status)
        return HttpResponse(get_gateway(gateway).success_body, content_type="text/plain; charset=utf-8")

    def http_method_not_allowed(self, request, *args, **kwargs):
        response = JsonResponse(error_body("method_not_allowed", "仅支持 POST。"), status=405)
        response["Allow"] = "POST"
        return response
