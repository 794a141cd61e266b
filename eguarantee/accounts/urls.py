from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("register/", views.RegisterView.as_view(), name="register"),
    path("password/forgot/", views.ForgotPasswordView.as_view(), name="password_forgot"),
    path("password/reset/", views.ResetPasswordView.as_view(), name="password_reset"),
    path("password/change/", views.ChangePasswordView.as_view(), name="password_change"),
    path("profile/", views.ProfileView.as_view(), name="profile"),
    path("registrations/", views.RegistrationListView.as_view(), name="registration_list"),
    path("registrations/<int:pk>/", views.RegistrationDetailView.as_view(), name="registration_detail"),
    path("registrations/<int:pk>/approve/", views.RegistrationApproveView.as_view(), name="registration_approve"),
    path("registrations/<int:pk>/reject/", views.RegistrationRejectView.as_view(), name="registration_reject"),
    path("organizations/", views.OrganizationListView.as_view(), name="organization_list"),
    path("organizations/add/", views.OrganizationEditView.as_view(), name="organization_add"),
    path("organizations/<int:pk>/", views.OrganizationDetailView.as_view(), name="organization_detail"),
    path("organizations/<int:pk>/edit/", views.OrganizationEditView.as_view(), name="organization_edit"),
    path("organizations/<int:pk>/delete/", views.OrganizationDeleteView.as_view(), name="organization_delete"),
    path("organizations/<int:pk>/lock/", views.OrganizationLockView.as_view(), name="organization_lock"),
    path("organizations/<int:pk>/unlock/", views.OrganizationUnlockView.as_view(), name="organization_unlock"),
    path("organizations/<int:pk>/licence/", views.LicenceDownloadView.as_view(), name="organization_licence"),
    path("users/", views.UserListView.as_view(), name="user_list"),
    path("users/add/", views.UserCreateView.as_view(), name="user_add"),
    path("users/<int:pk>/", views.UserDetailView.as_view(), name="user_detail"),
    path("users/<int:pk>/edit/", views.UserEditView.as_view(), name="user_edit"),
    path("users/<int:pk>/roles/", views.UserRolesView.as_view(), name="user_roles"),
    path("users/<int:pk>/lock/", views.UserLockView.as_view(), name="user_lock"),
    path("users/<int:pk>/unlock/", views.UserUnlockView.as_view(), name="user_unlock"),
    path("users/<int:pk>/delete/", views.UserDeactivateView.as_view(), name="user_delete"),
    path("users/<int:pk>/reset-password/", views.UserResetPasswordView.as_view(), name="user_reset_password"),
    path("roles/", views.RoleListView.as_view(), name="role_list"),
    path("roles/add/", views.RoleEditView.as_view(), name="role_add"),
    path("roles/<int:pk>/", views.RoleDetailView.as_view(), name="role_detail"),
    path("roles/<int:pk>/edit/", views.RoleEditView.as_view(), name="role_edit"),
    path("roles/<int:pk>/delete/", views.RoleDeleteView.as_view(), name="role_delete"),
    path("roles/<int:pk>/disable/", views.RoleDisableView.as_view(), name="role_disable"),
    path("roles/<int:pk>/enable/", views.RoleEnableView.as_view(), name="role_enable"),
]
