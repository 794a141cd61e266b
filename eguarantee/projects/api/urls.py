from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("projects", views.ProjectViewSet, basename="project")
router.register("project-sections", views.SectionViewSet, basename="project-section")
router.register("project-documents", views.DocumentViewSet, basename="project-document")

urlpatterns = router.urls
