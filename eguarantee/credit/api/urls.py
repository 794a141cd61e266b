from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("credit-records", views.CreditRecordViewSet, basename="credit-record")
router.register("credit-organizations", views.CreditOrganizationViewSet, basename="credit-organization")

urlpatterns = router.urls
