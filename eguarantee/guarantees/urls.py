from django.urls import path

from . import views

app_name = "guarantees"

urlpatterns = [
    path("inspect/", views.InspectView.as_view(), name="inspect"),
    path("inspections/", views.InspectionListView.as_view(), name="inspection_list"),
    path("inspections/<int:pk>/", views.InspectionDetailView.as_view(), name="inspection_detail"),
    path("", views.GuaranteeListView.as_view(), name="guarantee_list"),
    path("apply/", views.GuaranteeApplyView.as_view(), name="guarantee_apply"),
    path("quotes/", views.QuoteView.as_view(), name="guarantor_quotes"),
    path("<int:pk>/", views.GuaranteeDetailView.as_view(), name="guarantee_detail"),
    path("<int:pk>/document.pdf", views.GuaranteeDocumentView.as_view(), name="guarantee_document"),
    path("<int:pk>/submit/", views.SubmitView.as_view(), name="guarantee_submit"),
    path("<int:pk>/cancel/", views.CancelView.as_view(), name="guarantee_cancel"),
    path("<int:pk>/accept/", views.AcceptView.as_view(), name="guarantee_accept"),
    path("<int:pk>/approve/", views.ApproveView.as_view(), name="guarantee_approve"),
    path("<int:pk>/reject/", views.RejectView.as_view(), name="guarantee_reject"),
    path("<int:pk>/confirm-payment/", views.ConfirmPaymentView.as_view(), name="guarantee_confirm_payment"),
    path("<int:pk>/issue/", views.IssueView.as_view(), name="guarantee_issue"),
    path("<int:pk>/release/", views.ReleaseView.as_view(), name="guarantee_release"),
    path("<int:pk>/surrender/", views.SurrenderRequestView.as_view(), name="surrender_request"),
    path("<int:pk>/surrender/approve/", views.SurrenderApproveView.as_view(), name="surrender_approve"),
    path("<int:pk>/surrender/refuse/", views.SurrenderRefuseView.as_view(), name="surrender_refuse"),
    path("<int:pk>/attachments/add/", views.AttachmentAddView.as_view(), name="attachment_add"),
    path(
        "<int:pk>/attachments/<int:attachment_id>/",
        views.AttachmentDownloadView.as_view(),
        name="attachment_download",
    ),
    path("<int:pk>/archive.zip", views.ArchiveView.as_view(), name="guarantee_archive"),
    path("filings/", views.FilingListView.as_view(), name="filing_list"),
    path("<int:pk>/filing/accept/", views.FilingAcceptView.as_view(), name="filing_accept"),
    path("<int:pk>/filing/return/", views.FilingReturnView.as_view(), name="filing_return"),
    path("<int:pk>/filing/refile/", views.RefileView.as_view(), name="filing_refile"),
]
