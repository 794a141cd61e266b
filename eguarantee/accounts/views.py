from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import FormView, TemplateView

from eguarantee.core.exceptions import ServiceError
from eguarantee.core.scope import scoped_get
from eguarantee.core.views import (
    ObjectActionView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    ScopedMixin,
    ServiceFormMixin,
)

from . import filtersets, forms, selectors, services, tables
from .choices import OrgStatus
from .models import Organization, Role

MODULE = "平台后台管理"


def _form_error(form, exc):
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def _safe_next(request, fallback):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback


# ---------------------------------------------------------------- login, logout, passwords


@method_decorator(sensitive_post_parameters("password"), name="dispatch")
class LoginView(FormView):
    template_name = "accounts/login.html"
    form_class = forms.LoginForm

    def form_valid(self, form):
        username = form.cleaned_data["username"]
        self.request.audit_username = username
        try:
            user = services.authenticate_login(username, form.cleaned_data["password"])
        except ServiceError as exc:
            form.add_error(None, exc.message)
            return self.form_invalid(form)
        login(self.request, user, backend="eguarantee.accounts.backends.RoleBackend")
        self.request.action_context.user = user
        if user.previous_login_at:
            messages.info(
                self.request,
                f"上次登录时间：{user.previous_login_at.astimezone().strftime('%Y-%m-%d %H:%M:%S')}，"
                f"IP：{user.previous_login_ip or '未知'}",
            )
        if services.password_expired(user):
            return redirect("accounts:password_change")
        return redirect(_safe_next(self.request, reverse("core:dashboard")))


class LogoutView(View):
    http_method_names = ["post"]

    def post(self, request):
        logout(request)
        messages.info(request, "您已安全退出。")
        return redirect("portal:home")


@method_decorator(sensitive_post_parameters("password", "password2"), name="dispatch")
class RegisterView(FormView):
    template_name = "accounts/register.html"
    form_class = forms.RegistrationForm

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            org, _ = services.register_organization(
                organization={
                    k: data[k]
                    for k in (
                        "org_type",
                        "name",
                        "credit_code",
                        "region_code",
                        "address",
                        "legal_representative",
                        "basic_account_bank",
                        "basic_account_number",
                    )
                }
                | {"contact_name": data["full_name"], "contact_phone": data["mobile"], "contact_email": data["email"]},
                user={k: data[k] for k in ("username", "full_name", "mobile", "email")},
                password=data["password"],
                licence=data["business_licence"],
            )
        except ServiceError as exc:
            _form_error(form, exc)
            return self.form_invalid(form)
        return render(self.request, "accounts/register_done.html", {"organization": org})


class ForgotPasswordView(FormView):
    template_name = "accounts/password_forgot.html"
    form_class = forms.ForgotPasswordForm

    def form_valid(self, form):
        try:
            message = services.request_password_reset(form.cleaned_data["mobile"])
        except ServiceError as exc:
            _form_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, message)
        return redirect(f"{reverse('accounts:password_reset')}?mobile={form.cleaned_data['mobile']}")


@method_decorator(sensitive_post_parameters("code", "password", "password2"), name="dispatch")
class ResetPasswordView(FormView):
    template_name = "accounts/password_reset.html"
    form_class = forms.ResetPasswordForm

    def get_initial(self):
        return {"mobile": self.request.GET.get("mobile", "")}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.reset_password_with_code(data["mobile"], data["code"], data["password"])
        except ServiceError as exc:
            _form_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, "密码已重置，请使用新密码登录。")
        return redirect("accounts:login")


@method_decorator(sensitive_post_parameters("old_password", "password", "password2"), name="dispatch")
class ChangePasswordView(LoginRequiredMixin, FormView):
    template_name = "accounts/password_change.html"
    form_class = forms.ChangePasswordForm

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.change_password(self.request.user, data["old_password"], data["password"])
        except ServiceError as exc:
            _form_error(form, exc)
            return self.form_invalid(form)
        from django.contrib.auth import update_session_auth_hash

        update_session_auth_hash(self.request, self.request.user)
        messages.success(self.request, "密码已修改。")
        return redirect(_safe_next(self.request, reverse("core:dashboard")))


class ProfileView(LoginRequiredMixin, TemplateView):
    template_name = "accounts/profile.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["roles"] = Role.objects.filter(user=self.request.user)
        context["page_label"] = "我的账号"
        return context


# ---------------------------------------------------------------- registrations (6.11.1)


class RegistrationListView(ObjectListView):
    permission_required = "accounts.approve_organization"
    selector = staticmethod(selectors.pending_registrations_for)
    filterset_class = filtersets.OrganizationFilterSet
    table_class = tables.RegistrationTable
    module_label = MODULE
    page_label = "新账号审批"
    list_url_name = "accounts:registration_list"


class RegistrationDetailView(ObjectDetailView):
    permission_required = "accounts.approve_organization"
    selector = staticmethod(
        lambda user: selectors.organizations_for(user).filter(org_type__in=["applicant", "guarantor", "beneficiary"])
    )
    template_name = "accounts/registration_detail.html"
    module_label = MODULE
    page_label = "新账号审批"
    list_url_name = "accounts:registration_list"
    sensitive_read = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["registrants"] = self.object.users.all()
        context["reject_form"] = forms.RejectForm()
        return context


class RegistrationApproveView(ObjectActionView):
    permission_required = "accounts.approve_organization"
    selector = staticmethod(selectors.organizations_for)
    action_label = "审批通过"
    success_message = "已审批通过，已通知申请人。"

    def perform(self, obj, form):
        self.request.audit_object = obj
        services.approve_organization(obj, actor=self.request.user)

    def success_url(self, obj):
        return reverse("accounts:registration_list")


class RegistrationRejectView(RegistrationApproveView):
    action_label = "驳回"
    form_class = forms.RejectForm
    success_message = "已驳回，已通知申请人。"

    def perform(self, obj, form):
        self.request.audit_object = obj
        services.reject_organization(obj, actor=self.request.user, reason=form.cleaned_data["reason"])


class LicenceDownloadView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "accounts.view_organization"

    def get(self, request, pk):
        org = scoped_get(selectors.organizations_for(request.user), pk)
        if not org.business_licence:
            raise Http404
        request.audit_sensitive = "下载营业执照"
        request.audit_object = org
        return FileResponse(
            org.business_licence.open("rb"), as_attachment=False, filename=org.business_licence.name.rsplit("/", 1)[-1]
        )


# ---------------------------------------------------------------- organizations


ORG_DETAIL = [
    ("单位名称", "name"),
    ("统一社会信用代码", "credit_code"),
    ("单位类型", "org_type"),
    ("行政区划代码", "region_code"),
    ("地址", "address"),
    ("法定代表人", "legal_representative"),
    ("基本账户开户银行", "basic_account_bank"),
    ("基本账户账号", "basic_account_number"),
    ("联系人", "contact_name"),
    ("联系电话", "contact_phone"),
    ("联系邮箱", "contact_email"),
    ("状态", "status"),
    ("审批人", "reviewed_by"),
    ("审批时间", "reviewed_at"),
    ("审批意见", "review_comment"),
    ("注册时间", "created_at"),
]


class OrganizationListView(ObjectListView):
    permission_required = "accounts.view_organization"
    selector = staticmethod(selectors.organizations_for)
    filterset_class = filtersets.OrganizationFilterSet
    table_class = tables.OrganizationTable
    module_label = MODULE
    page_label = "单位管理"
    list_url_name = "accounts:organization_list"
    add_url_name = "accounts:organization_add"
    add_permission = "accounts.add_organization"
    export_columns = [(label, getter) for label, getter in ORG_DETAIL if getter != "reviewed_by"]
    export_filename = "单位"


class OrganizationDetailView(ObjectDetailView):
    permission_required = "accounts.view_organization"
    selector = staticmethod(selectors.organizations_for)
    template_name = "accounts/organization_detail.html"
    detail_fields = ORG_DETAIL
    module_label = MODULE
    page_label = "单位管理"
    list_url_name = "accounts:organization_list"


class OrganizationEditView(ObjectEditView):
    model = Organization
    selector = staticmethod(selectors.organizations_for)
    form_takes_actor = True
    form_class = forms.OrganizationForm
    module_label = MODULE
    page_label = "单位信息"
    list_url_name = "accounts:organization_list"

    def save(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if k not in form.fields or not form.fields[k].disabled}
        obj = self.get_object()
        if obj is None:
            return services.create_organization(actor=self.request.user, data=data)
        return services.update_organization(obj, actor=self.request.user, data=data)


class OrganizationDeleteView(ObjectDeleteView):
    permission_required = "accounts.delete_organization"
    selector = staticmethod(selectors.organizations_for)
    list_url_name = "accounts:organization_list"
    action_label = "删除单位"
    success_message = "单位已删除。"

    def perform(self, obj, form):
        services.delete_organization(obj, actor=self.request.user)


class OrganizationLockView(ObjectActionView):
    permission_required = "accounts.lock_organization"
    selector = staticmethod(selectors.organizations_for)
    action_label = "锁定单位"
    locked = True

    def perform(self, obj, form):
        services.set_organization_locked(obj, actor=self.request.user, locked=self.locked)


class OrganizationUnlockView(OrganizationLockView):
    action_label = "解锁单位"
    locked = False


# ---------------------------------------------------------------- users (6.11.2)


USER_DETAIL = [
    ("用户名", "username"),
    ("姓名", "full_name"),
    ("所属单位", "organization"),
    ("手机号码", "mobile"),
    ("电子邮箱", "email"),
    ("账号状态", "status"),
    ("须修改密码", lambda u: "是" if u.must_change_password else "否"),
    ("密码修改时间", "password_changed_at"),
    ("临时锁定至", "locked_until"),
    ("最近登录时间", "last_login"),
    ("最近登录IP", "last_login_ip"),
    ("注册时间", "date_joined"),
    ("注销时间", "deactivated_at"),
]


class UserListView(ObjectListView):
    permission_required = "accounts.view_user"
    selector = staticmethod(selectors.users_for)
    filterset_class = filtersets.UserFilterSet
    table_class = tables.UserTable
    module_label = MODULE
    page_label = "用户管理"
    list_url_name = "accounts:user_list"
    add_url_name = "accounts:user_add"
    add_permission = "accounts.add_user"
    export_columns = [(label, getter) for label, getter in USER_DETAIL if getter != "mobile"]
    export_filename = "用户"
    bulk_actions = [
        ("lock", "锁定", "accounts.lock_user"),
        ("unlock", "解锁", "accounts.lock_user"),
        ("deactivate", "注销", "accounts.delete_user"),
    ]

    def run_bulk_action(self, key, obj):
        actor = self.request.user
        if key == "deactivate":
            services.deactivate_user(obj, actor=actor)
        else:
            services.set_user_locked(obj, actor=actor, locked=key == "lock")


class UserDetailView(ObjectDetailView):
    permission_required = "accounts.view_user"
    selector = staticmethod(selectors.users_for)
    template_name = "accounts/user_detail.html"
    detail_fields = USER_DETAIL
    module_label = MODULE
    page_label = "用户管理"
    list_url_name = "accounts:user_list"
    sensitive_read = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["roles"] = Role.objects.filter(user=self.object)
        return context


class UserCreateView(ScopedMixin, ServiceFormMixin, FormView):
    permission_required = "accounts.add_user"
    form_class = forms.UserCreateForm
    module_label = MODULE
    page_label = "新增用户"
    list_url_name = "accounts:user_list"
    success_message = "用户已创建，首次登录须修改密码。"

    def get_queryset(self):
        return selectors.users_for(self.request.user)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        user = self.request.user
        kwargs["organizations"] = selectors.organizations_for(user).filter(status=OrgStatus.APPROVED)
        # Only those who may assign roles see them (the platform's system administrator may not: 三权分立).
        kwargs["roles"] = (
            selectors.roles_for(user).filter(enabled=True) if user.has_perm("accounts.assign_role") else None
        )
        return kwargs

    def save(self, form):
        data = form.cleaned_data
        return services.create_user(
            actor=self.request.user,
            organization=data["organization"],
            data={k: data[k] for k in ("username", "full_name", "mobile", "email")},
            password=data["password"],
            roles=list(data.get("roles") or []),
        )


class UserEditView(UserCreateView):
    permission_required = "accounts.change_user"
    form_class = forms.UserForm
    page_label = "修改用户"
    success_message = "用户信息已保存。"

    def get_object(self):
        return scoped_get(selectors.users_for(self.request.user), self.kwargs["pk"])

    def get_form_kwargs(self):
        kwargs = FormView.get_form_kwargs(self)
        kwargs["instance"] = self.get_object()
        return kwargs

    def save(self, form):
        return services.update_user(self.get_object(), actor=self.request.user, data=form.cleaned_data)


class UserRolesView(ObjectActionView):
    permission_required = "accounts.assign_role"
    selector = staticmethod(selectors.users_for)
    action_label = "分配角色"
    form_class = forms.RoleAssignForm
    success_message = "角色已更新。"

    def get_form(self, data=None):
        obj = self.get_object()
        initial = {"roles": list(obj.groups.values_list("pk", flat=True))}
        return forms.RoleAssignForm(data, initial=initial, roles=selectors.assignable_roles(self.request.user, obj))

    def perform(self, obj, form):
        services.assign_roles(obj, actor=self.request.user, roles=list(form.cleaned_data["roles"]))


class UserLockView(ObjectActionView):
    permission_required = "accounts.lock_user"
    selector = staticmethod(selectors.users_for)
    action_label = "锁定用户"
    locked = True

    def perform(self, obj, form):
        services.set_user_locked(obj, actor=self.request.user, locked=self.locked)


class UserUnlockView(UserLockView):
    action_label = "解锁用户"
    locked = False


class UserDeactivateView(ObjectActionView):
    permission_required = "accounts.delete_user"
    selector = staticmethod(selectors.users_for)
    action_label = "注销用户"
    success_message = "账号已注销，历史记录保留。"

    def perform(self, obj, form):
        services.deactivate_user(obj, actor=self.request.user)


class UserResetPasswordView(ObjectActionView):
    permission_required = "accounts.change_user"
    selector = staticmethod(selectors.users_for)
    action_label = "重置密码"
    form_class = forms.AdminResetPasswordForm
    success_message = "密码已重置，用户下次登录须修改密码。"

    def perform(self, obj, form):
        services.admin_reset_password(obj, actor=self.request.user, password=form.cleaned_data["password"])


# ---------------------------------------------------------------- roles (6.11.3)


class RoleListView(ObjectListView):
    permission_required = "accounts.view_role"
    selector = staticmethod(lambda user: selectors.roles_for(user).annotate(user_count=Count("user")))
    filterset_class = filtersets.RoleFilterSet
    table_class = tables.RoleTable
    module_label = MODULE
    page_label = "角色管理"
    list_url_name = "accounts:role_list"
    add_url_name = "accounts:role_add"
    add_permission = "accounts.add_role"
    export_columns = [("角色名称", "name"), ("编码", "code"), ("适用单位类型", "org_type"), ("启用", "enabled")]
    export_filename = "角色"


class RoleDetailView(ObjectDetailView):
    permission_required = "accounts.view_role"
    selector = staticmethod(selectors.roles_for)
    template_name = "accounts/role_detail.html"
    detail_fields = [
        ("角色名称", "name"),
        ("编码", "code"),
        ("适用单位类型", "org_type"),
        ("启用", lambda r: "是" if r.enabled else "否"),
        ("内置角色", lambda r: "是" if r.builtin else "否"),
        ("说明", "description"),
        ("用户数", lambda r: r.user_set.count()),
    ]
    module_label = MODULE
    page_label = "角色管理"
    list_url_name = "accounts:role_list"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["tree"] = forms.RoleForm(instance=self.object).tree()
        return context


class RoleEditView(ObjectEditView):
    model = Role
    selector = staticmethod(selectors.roles_for)
    form_class = forms.RoleForm
    template_name = "accounts/role_form.html"
    module_label = MODULE
    page_label = "角色"
    list_url_name = "accounts:role_list"
    success_message = "角色已保存。"

    def save(self, form):
        data = {k: form.cleaned_data[k] for k in ("name", "code", "org_type", "description", "enabled")}
        return services.save_role(
            actor=self.request.user, data=data, permissions=form.permission_objects(), role=self.get_object()
        )


class RoleDeleteView(ObjectDeleteView):
    permission_required = "accounts.delete_role"
    selector = staticmethod(selectors.roles_for)
    list_url_name = "accounts:role_list"
    action_label = "删除角色"
    success_message = "角色已删除。"

    def perform(self, obj, form):
        services.delete_role(obj, actor=self.request.user)


class RoleDisableView(ObjectActionView):
    permission_required = "accounts.change_role"
    selector = staticmethod(selectors.roles_for)
    action_label = "禁用角色"
    enabled = False

    def perform(self, obj, form):
        services.set_role_enabled(obj, actor=self.request.user, enabled=self.enabled)


class RoleEnableView(RoleDisableView):
    action_label = "启用角色"
    enabled = True
