from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("inspections", views.InspectionViewSet, basename="inspection")
router.register("guarantees", views.GuaranteeViewSet, basename="guarantee")

urlpatterns = router.urls
