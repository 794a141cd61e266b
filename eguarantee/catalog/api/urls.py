from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("guarantee-types", views.GuaranteeTypeViewSet, basename="guaranteetype")
router.register("guarantee-templates", views.GuaranteeTemplateViewSet, basename="guaranteetemplate")

urlpatterns = router.urls
