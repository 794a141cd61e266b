from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("departments", views.DepartmentViewSet, basename="department")
router.register("jurisdiction-rules", views.RuleViewSet, basename="jurisdiction-rule")

urlpatterns = router.urls
