from django.urls import path

from . import views

app_name = "credit"

urlpatterns = [
    path("records/", views.RecordListView.as_view(), name="record_list"),
    path("records/<int:pk>/", views.RecordDetailView.as_view(), name="record_detail"),
    path("organizations/", views.OrganizationListView.as_view(), name="organization_list"),
    path("organizations/<int:pk>/", views.OrganizationDetailView.as_view(), name="organization_detail"),
    path("mine/", views.OrganizationDetailView.as_view(), name="my_credit"),
]
