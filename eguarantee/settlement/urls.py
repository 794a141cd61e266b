from django.urls import path

from . import views

app_name = "settlement"

urlpatterns = [
    path("ledger/", views.LedgerListView.as_view(), name="ledger_list"),
    path("ledger/<int:pk>/", views.LedgerDetailView.as_view(), name="ledger_detail"),
    path("fees/", views.FeeListView.as_view(), name="fee_list"),
]
