from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from eguarantee.core import health

api_patterns = [
    # First: the public 保函查验 is the busiest route, and Django tries patterns in order.
    path("", include("eguarantee.evidence.api.urls")),
    path("", include("eguarantee.accounts.api.urls")),
    path("", include("eguarantee.audit.api.urls")),
    path("", include("eguarantee.catalog.api.urls")),
    path("", include("eguarantee.guarantors.api.urls")),
    path("", include("eguarantee.projects.api.urls")),
    path("", include("eguarantee.departments.api.urls")),
    path("", include("eguarantee.guarantees.api.urls")),
    path("", include("eguarantee.payments.api.urls")),
    path("", include("eguarantee.settlement.api.urls")),
    path("", include("eguarantee.credit.api.urls")),
]

urlpatterns = [
    # The portal (the 保函查验 page) and the API (its lookup) first: Django tries the patterns
    # in order, and "api/v1/" costs other paths one failed prefix match.
    path("", include("eguarantee.portal.urls")),
    path("api/v1/", include((api_patterns, "api"))),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("", include("eguarantee.core.urls")),
    path("accounts/", include("eguarantee.accounts.urls")),
    path("audit/", include("eguarantee.audit.urls")),
    path("evidence/", include("eguarantee.evidence.urls")),
    path("notifications/", include("eguarantee.notifications.urls")),
    path("catalog/", include("eguarantee.catalog.urls")),
    path("guarantors/", include("eguarantee.guarantors.urls")),
    path("projects/", include("eguarantee.projects.urls")),
    path("departments/", include("eguarantee.departments.urls")),
    path("guarantees/", include("eguarantee.guarantees.urls")),
    path("payments/", include("eguarantee.payments.urls")),
    path("settlement/", include("eguarantee.settlement.urls")),
    path("credit/", include("eguarantee.credit.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
