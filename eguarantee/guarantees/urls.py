from django.urls import path

from . import views

app_name = "guarantees"

urlpatterns = [
    path("inspect/", views.InspectView.as_view(), name="inspect"),
    path("inspections/", views.InspectionListView.as_view(), name="inspection_list"),
    path("inspections/<int:pk>/", views.InspectionDetailView.as_view(), name="inspection_detail"),
]
