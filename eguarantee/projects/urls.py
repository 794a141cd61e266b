from django.urls import path

from . import views

app_name = "projects"

urlpatterns = [
    path("", views.ProjectListView.as_view(), name="project_list"),
    path("add/", views.ProjectEditView.as_view(), name="project_add"),
    path("check-number/", views.NumberCheckView.as_view(), name="number_check"),
    path("<int:pk>/", views.ProjectDetailView.as_view(), name="project_detail"),
    path("<int:pk>/edit/", views.ProjectEditView.as_view(), name="project_edit"),
    path("<int:pk>/delete/", views.ProjectDeleteView.as_view(), name="project_delete"),
    path("<int:pk>/join/", views.ProjectJoinView.as_view(), name="project_join"),
    path("<int:pk>/documents/add/", views.DocumentUploadView.as_view(), name="document_add"),
    path("sections/", views.SectionListView.as_view(), name="section_list"),
    path("sections/<int:pk>/", views.SectionDetailView.as_view(), name="section_detail"),
    path("documents/", views.DocumentListView.as_view(), name="document_list"),
    path("documents/<int:pk>/", views.DocumentDetailView.as_view(), name="document_detail"),
    path("documents/<int:pk>/download/", views.DocumentDownloadView.as_view(), name="document_download"),
    path("documents/<int:pk>/delete/", views.DocumentDeleteView.as_view(), name="document_delete"),
]
