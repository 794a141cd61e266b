from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("payment-orders", views.PaymentOrderViewSet, basename="payment-order")
router.register("transfer-vouchers", views.TransferVoucherViewSet, basename="transfer-voucher")
router.register("payment-refunds", views.RefundViewSet, basename="payment-refund")
router.register("payment-notifications", views.PaymentNotificationViewSet, basename="payment-notification")

urlpatterns = router.urls
