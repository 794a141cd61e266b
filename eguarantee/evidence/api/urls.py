from django.urls import path

from . import views

urlpatterns = [
    path("verify/", views.VerifyView.as_view(), name="verify"),
    path("verify/document/", views.VerifyDocumentView.as_view(), name="verify-document"),
]
