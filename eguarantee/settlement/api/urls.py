from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("ledger-lines", views.LedgerLineViewSet, basename="ledger-line")
router.register("fee-records", views.FeeRecordViewSet, basename="fee-record")

urlpatterns = router.urls
