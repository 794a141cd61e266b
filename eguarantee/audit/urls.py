from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("changes/", views.ObjectChangeListView.as_view(), name="objectchange_list"),
    path("changes/<int:pk>/", views.ObjectChangeDetailView.as_view(), name="objectchange_detail"),
    path("operations/", views.OperationLogListView.as_view(), name="operationlog_list"),
    path("operations/<int:pk>/", views.OperationLogDetailView.as_view(), name="operationlog_detail"),
    path("logins/", views.LoginLogListView.as_view(), name="loginlog_list"),
    path("logins/<int:pk>/", views.LoginLogDetailView.as_view(), name="loginlog_detail"),
]
