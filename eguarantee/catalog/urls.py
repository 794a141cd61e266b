from django.urls import path

from . import views

app_name = "catalog"

urlpatterns = [
    path("types/", views.GuaranteeTypeListView.as_view(), name="type_list"),
    path("types/add/", views.GuaranteeTypeEditView.as_view(), name="type_add"),
    path("types/<int:pk>/", views.GuaranteeTypeDetailView.as_view(), name="type_detail"),
    path("types/<int:pk>/edit/", views.GuaranteeTypeEditView.as_view(), name="type_edit"),
    path("types/<int:pk>/delete/", views.GuaranteeTypeDeleteView.as_view(), name="type_delete"),
    path("types/<int:pk>/disable/", views.GuaranteeTypeDisableView.as_view(), name="type_disable"),
    path("types/<int:pk>/enable/", views.GuaranteeTypeEnableView.as_view(), name="type_enable"),
    path("templates/", views.GuaranteeTemplateListView.as_view(), name="template_list"),
    path("templates/add/", views.GuaranteeTemplateEditView.as_view(), name="template_add"),
    path("templates/<int:pk>/", views.GuaranteeTemplateDetailView.as_view(), name="template_detail"),
    path("templates/<int:pk>/edit/", views.GuaranteeTemplateEditView.as_view(), name="template_edit"),
    path("templates/<int:pk>/delete/", views.GuaranteeTemplateDeleteView.as_view(), name="template_delete"),
    path("templates/<int:pk>/publish/", views.GuaranteeTemplatePublishView.as_view(), name="template_publish"),
    path("templates/<int:pk>/retire/", views.GuaranteeTemplateRetireView.as_view(), name="template_retire"),
    path(
        "templates/<int:pk>/new-version/", views.GuaranteeTemplateNewVersionView.as_view(), name="template_new_version"
    ),
    path("templates/<int:pk>/preview.pdf", views.GuaranteeTemplatePreviewView.as_view(), name="template_preview"),
]
