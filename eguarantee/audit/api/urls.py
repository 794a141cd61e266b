from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("audit/changes", views.ObjectChangeViewSet, basename="objectchange")
router.register("audit/operations", views.OperationLogViewSet, basename="operationlog")
router.register("audit/logins", views.LoginLogViewSet, basename="loginlog")

urlpatterns = router.urls
