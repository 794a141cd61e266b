from django.urls import path

from . import views

app_name = "departments"

urlpatterns = [
    path("", views.DepartmentListView.as_view(), name="department_list"),
    path("add/", views.DepartmentCreateView.as_view(), name="department_add"),
    path("<int:pk>/", views.DepartmentDetailView.as_view(), name="department_detail"),
    path("<int:pk>/edit/", views.DepartmentEditView.as_view(), name="department_edit"),
    path("<int:pk>/delete/", views.DepartmentDeleteView.as_view(), name="department_delete"),
    path("<int:pk>/staff/", views.DepartmentStaffView.as_view(), name="department_staff"),
    path("rules/", views.RuleListView.as_view(), name="rule_list"),
    path("rules/add/", views.RuleEditView.as_view(), name="rule_add"),
    path("rules/resolve/", views.ResolvePreviewView.as_view(), name="resolve"),
    path("rules/<int:pk>/", views.RuleDetailView.as_view(), name="rule_detail"),
    path("rules/<int:pk>/edit/", views.RuleEditView.as_view(), name="rule_edit"),
    path("rules/<int:pk>/delete/", views.RuleDeleteView.as_view(), name="rule_delete"),
    path("rules/<int:pk>/enable/", views.RuleEnableView.as_view(), name="rule_enable"),
    path("rules/<int:pk>/disable/", views.RuleDisableView.as_view(), name="rule_disable"),
]
