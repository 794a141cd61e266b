from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("guarantors", views.GuarantorProfileViewSet, basename="guarantor")
router.register("guarantor-qualifications", views.QualificationViewSet, basename="guarantor-qualification")
router.register("guarantor-offers", views.OfferViewSet, basename="guarantor-offer")
router.register("guarantor-clauses", views.ClauseViewSet, basename="guarantor-clause")

urlpatterns = router.urls
