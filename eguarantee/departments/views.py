from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.urls import reverse
from django.views.generic import FormView, TemplateView

from eguarantee.core import regions
from eguarantee.core.exceptions import ServiceError
from eguarantee.core.scope import scoped_get
from eguarantee.core.views import (
    ObjectActionView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectListView,
    ScopedMixin,
    ServiceFormMixin,
)

from . import filtersets, forms, selectors, services, tables
from .models import DepartmentProfile, level_label

MODULE = "行政管理部门配置管理"


def _profile(org):
    try:
        return org.department_profile
    except DepartmentProfile.DoesNotExist:
        return None


def _profile_value(name):
    return lambda org: getattr(_profile(org), name, None) if _profile(org) else None


DEPARTMENT_FIELDS = [
    ("部门名称", "name"),
    ("统一社会信用代码", "credit_code"),
    ("行政区划代码", "region_code"),
    ("所在区划", lambda o: regions.full_name(o.region_code)),
    ("行政级别", lambda o: level_label(o.region_code)),
    ("上级部门", _profile_value("parent")),
    ("职责说明", _profile_value("duties")),
    ("业务联系人", _profile_value("contact_name")),
    ("业务联系电话", _profile_value("contact_phone")),
    ("业务联系邮箱", _profile_value("contact_email")),
    ("办公地址", _profile_value("office_address")),
    ("档案更新时间", _profile_value("updated_at")),
]


# ---------------------------------------------------------------- department profiles


class DepartmentListView(ObjectListView):
    permission_required = "departments.view_departmentprofile"
    selector = staticmethod(selectors.departments_for)
    filterset_class = filtersets.DepartmentFilterSet
    table_class = tables.DepartmentTable
    module_label = MODULE
    page_label = "部门档案"
    list_url_name = "departments:department_list"
    add_url_name = "departments:department_add"
    add_permission = "departments.add_departmentprofile"
    export_columns = [(label, getter) for label, getter in DEPARTMENT_FIELDS if label != "档案更新时间"]
    export_filename = "部门档案"


class DepartmentDetailView(ObjectDetailView):
    permission_required = "departments.view_departmentprofile"
    selector = staticmethod(selectors.departments_for)
    template_name = "departments/department_detail.html"
    detail_fields = DEPARTMENT_FIELDS
    module_label = MODULE
    page_label = "部门档案"
    list_url_name = "departments:department_list"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        org = self.object
        context["profile"] = _profile(org)
        context["children"] = selectors.child_departments(org)
        context["rules"] = selectors.rules_for(user).filter(department=org)
        context["can_manage"] = selectors.managed_departments_for(user).filter(pk=org.pk).exists()
        return context


class DepartmentCreateView(ScopedMixin, ServiceFormMixin, FormView):
    permission_required = "departments.add_departmentprofile"
    selector = staticmethod(selectors.managed_departments_for)
    form_class = forms.ProfileCreateForm
    module_label = MODULE
    page_label = "新建部门档案"
    list_url_name = "departments:department_list"
    success_message = "部门档案已建立。"

    def save(self, form):
        organization = form.cleaned_data["organization"]
        scoped_get(self.get_queryset(), organization.pk)
        return services.create_profile(actor=self.request.user, organization=organization, data=form.profile_data())


class DepartmentEditView(ScopedMixin, ServiceFormMixin, FormView):
    permission_required = "departments.change_departmentprofile"
    selector = staticmethod(selectors.managed_departments_for)
    form_class = forms.ProfileForm
    module_label = MODULE
    page_label = "修改部门档案"
    list_url_name = "departments:department_list"
    success_message = "部门档案已保存。"

    def dispatch(self, request, *args, **kwargs):
        self.organization = None
        return super().dispatch(request, *args, **kwargs)

    def get_organization(self):
        if self.organization is None:
            self.organization = self.get_object()
        return self.organization

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["organization"] = self.get_organization()
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object"] = self.get_organization()
        return context

    def save(self, form):
        return services.update_profile(self.get_organization(), actor=self.request.user, data=form.profile_data())


class DepartmentDeleteView(ObjectActionView):
    permission_required = "departments.delete_departmentprofile"
    selector = staticmethod(selectors.managed_departments_for)
    action_label = "删除部门档案"
    success_message = "部门档案已删除（部门单位、人员与归口规则保留）。"

    def perform(self, obj, form):
        services.delete_profile(obj, actor=self.request.user)

    def success_url(self, obj):
        return reverse("departments:department_detail", args=[obj.pk])


class DepartmentStaffView(ScopedMixin, TemplateView):
    """6.3.1: the department's staff and the roles they hold. Roles and their permissions
    are edited in the foundation's pages (用户管理 / 角色管理); this page links there."""

    permission_required = ("departments.view_departmentprofile", "accounts.view_user")
    selector = staticmethod(selectors.managed_departments_for)
    template_name = "departments/department_staff.html"
    module_label = MODULE
    page_label = "部门档案"
    list_url_name = "departments:department_list"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        org = self.get_object()
        staff = list(selectors.staff_of(org))
        for person in staff:
            person.role_list = [g.role for g in person.groups.all() if hasattr(g, "role")]
        context.update(
            object=org,
            staff=staff,
            roles=selectors.department_roles(),
            breadcrumbs=[
                *self.breadcrumbs(),
                (str(org), reverse("departments:department_detail", args=[org.pk])),
                ("人员与角色", None),
            ],
            page_label="人员与角色",
        )
        return context


# ---------------------------------------------------------------- 归口 rules


RULE_FIELDS = [
    ("编号", "pk"),
    ("工程类型", "project_type"),
    ("行政区划代码", "region_code"),
    ("行政区划", "region_name"),
    ("区划级别", "level_label"),
    ("主管部门", "department"),
    ("启用", lambda r: "是" if r.enabled else "否"),
    ("备注", "note"),
    ("创建时间", "created_at"),
    ("更新时间", "updated_at"),
]


class RuleListView(ObjectListView):
    permission_required = "departments.view_jurisdictionrule"
    selector = staticmethod(selectors.rules_for)
    filterset_class = filtersets.RuleFilterSet
    table_class = tables.RuleTable
    module_label = MODULE
    page_label = "归口规则"
    list_url_name = "departments:rule_list"
    add_url_name = "departments:rule_add"
    add_permission = "departments.add_jurisdictionrule"
    export_columns = RULE_FIELDS
    export_filename = "归口规则"
    bulk_actions = [
        ("enable", "启用", "departments.change_jurisdictionrule"),
        ("disable", "停用", "departments.change_jurisdictionrule"),
    ]

    def run_bulk_action(self, key, obj):
        services.set_rule_enabled(obj, actor=self.request.user, enabled=key == "enable")


class RuleDetailView(ObjectDetailView):
    permission_required = "departments.view_jurisdictionrule"
    selector = staticmethod(selectors.rules_for)
    template_name = "departments/rule_detail.html"
    detail_fields = RULE_FIELDS
    module_label = MODULE
    page_label = "归口规则"
    list_url_name = "departments:rule_list"


class RuleEditView(ScopedMixin, ServiceFormMixin, FormView):
    selector = staticmethod(selectors.rules_for)
    form_class = forms.RuleForm
    template_name = "departments/form.html"
    module_label = MODULE
    page_label = "归口规则"
    list_url_name = "departments:rule_list"
    success_message = "归口规则已保存。"

    def get_permission_required(self):
        return ["departments.change_jurisdictionrule" if "pk" in self.kwargs else "departments.add_jurisdictionrule"]

    def get_rule(self):
        if "pk" not in self.kwargs:
            return None
        if not hasattr(self, "_rule"):
            self._rule = self.get_object()
        return self._rule

    def get_initial(self):
        initial = super().get_initial()
        for name in ("project_type", "region_code"):  # "新增规则" from the preview page
            if self.request.GET.get(name):
                initial[name] = self.request.GET[name][:20]
        return initial

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["rule"] = self.get_rule()
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object"] = self.get_rule()
        context["region_datalist"] = forms.region_datalist()
        return context

    def save(self, form):
        rule = self.get_rule()
        if rule is None:
            return services.create_rule(actor=self.request.user, data=form.cleaned_data)
        return services.update_rule(rule, actor=self.request.user, data=form.cleaned_data)


class RuleDeleteView(ObjectDeleteView):
    permission_required = "departments.delete_jurisdictionrule"
    selector = staticmethod(selectors.rules_for)
    list_url_name = "departments:rule_list"
    action_label = "删除归口规则"
    success_message = "归口规则已删除。"

    def perform(self, obj, form):
        services.delete_rule(obj, actor=self.request.user)


class RuleEnableView(ObjectActionView):
    permission_required = "departments.change_jurisdictionrule"
    selector = staticmethod(selectors.rules_for)
    action_label = "启用归口规则"
    success_message = "归口规则已启用。"
    enabled = True

    def perform(self, obj, form):
        services.set_rule_enabled(obj, actor=self.request.user, enabled=self.enabled)


class RuleDisableView(RuleEnableView):
    action_label = "停用归口规则"
    success_message = "归口规则已停用。"
    enabled = False


class ResolvePreviewView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    """“某类工程在某区划由哪个部门归口？” — the answer, the rule that gave it, and every level
    of the chain that was considered."""

    permission_required = "departments.view_jurisdictionrule"
    template_name = "departments/resolve.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET
        form = forms.ResolveForm(params or None)
        resolution = None
        if params and form.is_valid():
            try:
                resolution = selectors.resolve(form.cleaned_data["project_type"], form.cleaned_data["region_code"])
            except ServiceError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        visible = set()
        if resolution is not None:
            ids = [c.rule.pk for c in resolution.candidates if c.rule] + [
                r.pk for c in resolution.candidates for r in c.disabled_rules
            ]
            visible = set(selectors.rules_for(self.request.user).filter(pk__in=ids).values_list("pk", flat=True))
        context.update(
            form=form,
            resolution=resolution,
            visible_rules=visible,
            region_datalist=forms.region_datalist(),
            page_label="归口查询",
            breadcrumbs=[(MODULE, None), ("归口查询", None)],
        )
        return context
