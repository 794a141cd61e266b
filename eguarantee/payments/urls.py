from django.urls import path

from . import views

app_name = "payments"

urlpatterns = [
    path("guarantee/<int:pk>/", views.GuaranteePaymentView.as_view(), name="guarantee_payment"),
    path("guarantee/<int:pk>/pay/", views.PayOnlineView.as_view(), name="pay_online"),
    path("guarantee/<int:pk>/voucher/", views.VoucherUploadView.as_view(), name="voucher_upload"),
    path("orders/", views.OrderListView.as_view(), name="order_list"),
    path("orders/<int:pk>/", views.OrderDetailView.as_view(), name="order_detail"),
    path("vouchers/", views.VoucherListView.as_view(), name="voucher_list"),
    path("vouchers/<int:pk>/", views.VoucherDetailView.as_view(), name="voucher_detail"),
    path("vouchers/<int:pk>/file/", views.VoucherFileView.as_view(), name="voucher_file"),
    path("vouchers/<int:pk>/confirm/", views.VoucherConfirmView.as_view(), name="voucher_confirm"),
    path("vouchers/<int:pk>/reject/", views.VoucherRejectView.as_view(), name="voucher_reject"),
    path("refunds/", views.RefundListView.as_view(), name="refund_list"),
    path("notifications/", views.NotificationListView.as_view(), name="notification_list"),
    path("notifications/<int:pk>/", views.NotificationDetailView.as_view(), name="notification_detail"),
    # The gateways' asynchronous notifications: public, signed, never behind a login.
    path("notify/<slug:gateway>/", views.NotifyView.as_view(), name="notify"),
]
