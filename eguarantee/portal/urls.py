from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("apply/", views.ApplyView.as_view(), name="apply"),
    path("verify/", views.VerifyView.as_view(), name="verify"),
    path("verify/bundle/", views.VerifyBundleView.as_view(), name="verify_bundle"),
    path("claim/", views.ClaimView.as_view(), name="claim"),
]
