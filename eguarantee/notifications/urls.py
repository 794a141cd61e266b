from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("sms/", views.SmsListView.as_view(), name="sms_list"),
    path("sms/<int:pk>/", views.SmsDetailView.as_view(), name="sms_detail"),
    path("inbox/", views.InboxView.as_view(), name="inbox"),
    path("inbox/read/", views.MarkReadView.as_view(), name="mark_read"),
]
