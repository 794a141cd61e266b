from django.urls import path

from . import views

app_name = "guarantors"

urlpatterns = [
    path("profiles/", views.ProfileListView.as_view(), name="profile_list"),
    path("profiles/add/", views.ProfileEditView.as_view(), name="profile_add"),
    path("profiles/<int:pk>/", views.ProfileDetailView.as_view(), name="profile_detail"),
    path("profiles/<int:pk>/edit/", views.ProfileEditView.as_view(), name="profile_edit"),
    path("profiles/<int:pk>/delete/", views.ProfileDeleteView.as_view(), name="profile_delete"),
    path("qualifications/", views.QualificationListView.as_view(), name="qualification_list"),
    path("qualifications/add/", views.QualificationEditView.as_view(), name="qualification_add"),
    path("qualifications/<int:pk>/", views.QualificationDetailView.as_view(), name="qualification_detail"),
    path("qualifications/<int:pk>/edit/", views.QualificationEditView.as_view(), name="qualification_edit"),
    path("qualifications/<int:pk>/delete/", views.QualificationDeleteView.as_view(), name="qualification_delete"),
    path(
        "qualifications/<int:pk>/certificate/",
        views.CertificateDownloadView.as_view(),
        name="qualification_certificate",
    ),
    path("offers/", views.OfferListView.as_view(), name="offer_list"),
    path("offers/add/", views.OfferEditView.as_view(), name="offer_add"),
    path("offers/<int:pk>/", views.OfferDetailView.as_view(), name="offer_detail"),
    path("offers/<int:pk>/edit/", views.OfferEditView.as_view(), name="offer_edit"),
    path("offers/<int:pk>/delete/", views.OfferDeleteView.as_view(), name="offer_delete"),
    path("clauses/", views.ClauseListView.as_view(), name="clause_list"),
    path("clauses/add/", views.ClauseEditView.as_view(), name="clause_add"),
    path("clauses/<int:pk>/", views.ClauseDetailView.as_view(), name="clause_detail"),
    path("clauses/<int:pk>/edit/", views.ClauseEditView.as_view(), name="clause_edit"),
    path("clauses/<int:pk>/publish/", views.ClausePublishView.as_view(), name="clause_publish"),
    path("clauses/<int:pk>/delete/", views.ClauseDeleteView.as_view(), name="clause_delete"),
]
