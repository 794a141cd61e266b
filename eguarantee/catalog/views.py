from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View

from eguarantee.core.exceptions import ServiceError
from eguarantee.core.scope import scoped_get
from eguarantee.core.views import (
    ObjectActionView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    ScopedMixin,
)

from . import filtersets, forms, placeholders, selectors, services, tables
from .choices import APPLICATION_FIELDS, TemplateStatus
from .models import GuaranteeTemplate, GuaranteeType

MODULE = "保函类型管理"


def _yes(value):
    return "是" if value else "否"


TYPE_DETAIL = [
    ("类型名称", "name"),
    ("类型编码", "code"),
    ("内置类型", lambda t: _yes(t.builtin)),
    ("启用", lambda t: _yes(t.enabled)),
    ("须关联招标项目标段", lambda t: _yes(t.requires_tender)),
    ("申请须填写的字段", lambda t: "、".join(APPLICATION_FIELDS.get(f, f) for f in t.application_fields) or "—"),
    ("须上传的附件", lambda t: "、".join(a["label"] for a in t.required_attachments) or "—"),
    ("默认有效期规则", "validity_rule"),
    ("固定有效天数", "validity_days"),
    ("允许密文出函", lambda t: _yes(t.sealed_allowed)),
    ("说明", "description"),
    ("排序", "sort_order"),
    ("更新时间", "updated_at"),
]


class GuaranteeTypeListView(ObjectListView):
    permission_required = "catalog.view_guaranteetype"
    selector = staticmethod(selectors.types_for)
    filterset_class = filtersets.GuaranteeTypeFilterSet
    table_class = tables.GuaranteeTypeTable
    module_label = MODULE
    page_label = "保函类型"
    list_url_name = "catalog:type_list"
    add_url_name = "catalog:type_add"
    add_permission = "catalog.add_guaranteetype"
    export_columns = TYPE_DETAIL
    export_filename = "保函类型"


class GuaranteeTypeDetailView(ObjectDetailView):
    permission_required = "catalog.view_guaranteetype"
    selector = staticmethod(selectors.types_for)
    template_name = "catalog/type_detail.html"
    detail_fields = TYPE_DETAIL
    module_label = MODULE
    page_label = "保函类型"
    list_url_name = "catalog:type_list"


class GuaranteeTypeEditView(ObjectEditView):
    model = GuaranteeType
    form_class = forms.GuaranteeTypeForm
    selector = staticmethod(selectors.types_for)
    module_label = MODULE
    page_label = "保函类型"
    list_url_name = "catalog:type_list"
    success_message = "保函类型已保存。"

    def save(self, form):
        return services.save_type(actor=self.request.user, data=form.service_data(), guarantee_type=self.get_object())


class GuaranteeTypeDeleteView(ObjectDeleteView):
    permission_required = "catalog.delete_guaranteetype"
    selector = staticmethod(selectors.types_for)
    list_url_name = "catalog:type_list"
    action_label = "删除保函类型"
    success_message = "保函类型已删除。"

    def perform(self, obj, form):
        services.delete_type(obj, actor=self.request.user)


class GuaranteeTypeDisableView(ObjectActionView):
    permission_required = "catalog.change_guaranteetype"
    selector = staticmethod(selectors.types_for)
    action_label = "停用保函类型"
    enabled = False

    def perform(self, obj, form):
        services.set_type_enabled(obj, actor=self.request.user, enabled=self.enabled)


class GuaranteeTypeEnableView(GuaranteeTypeDisableView):
    action_label = "启用保函类型"
    enabled = True


# ---------------------------------------------------------------- templates (6.4.2)

TEMPLATE_DETAIL = [
    ("模板名称", "name"),
    ("保函类型", "guarantee_type"),
    ("保证人", lambda t: t.guarantor.name if t.guarantor else "平台默认模板"),
    ("版本号", "version"),
    ("状态", "status"),
    ("保函标题", "title"),
    ("发布时间", "published_at"),
    ("发布人", "published_by"),
    ("创建人", "created_by"),
    ("更新时间", "updated_at"),
]


class GuaranteeTemplateListView(ObjectListView):
    permission_required = "catalog.view_guaranteetemplate"
    selector = staticmethod(selectors.templates_for)
    filterset_class = filtersets.GuaranteeTemplateFilterSet
    table_class = tables.GuaranteeTemplateTable
    module_label = MODULE
    page_label = "保函模板"
    list_url_name = "catalog:template_list"
    add_url_name = "catalog:template_add"
    add_permission = "catalog.add_guaranteetemplate"
    export_columns = TEMPLATE_DETAIL
    export_filename = "保函模板"


class GuaranteeTemplateDetailView(ObjectDetailView):
    permission_required = "catalog.view_guaranteetemplate"
    selector = staticmethod(selectors.templates_for)
    template_name = "catalog/template_detail.html"
    detail_fields = TEMPLATE_DETAIL
    module_label = MODULE
    page_label = "保函模板"
    list_url_name = "catalog:template_list"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        template = self.object
        user = self.request.user
        owns = user.is_platform or template.guarantor_id == user.organization_id
        context.update(
            placeholders=placeholders.PLACEHOLDERS,
            is_draft=template.status == TemplateStatus.DRAFT,
            is_published=template.status == TemplateStatus.PUBLISHED,
            owns=owns,
        )
        return context


class GuaranteeTemplateEditView(ObjectEditView):
    model = GuaranteeTemplate
    form_takes_actor = True
    form_class = forms.GuaranteeTemplateForm
    selector = staticmethod(selectors.templates_for)
    template_name = "catalog/template_form.html"
    module_label = MODULE
    page_label = "保函模板"
    list_url_name = "catalog:template_list"
    success_message = "模板已保存为草稿。"

    def get_context_data(self, **kwargs):
        return super().get_context_data(placeholders=placeholders.PLACEHOLDERS, **kwargs)

    def save(self, form):
        return services.save_template(actor=self.request.user, data=form.service_data(), template=self.get_object())


class GuaranteeTemplateDeleteView(ObjectDeleteView):
    permission_required = "catalog.delete_guaranteetemplate"
    selector = staticmethod(selectors.templates_for)
    list_url_name = "catalog:template_list"
    action_label = "删除模板草稿"
    success_message = "模板草稿已删除。"

    def perform(self, obj, form):
        services.delete_template(obj, actor=self.request.user)


class GuaranteeTemplatePublishView(ObjectActionView):
    permission_required = "catalog.publish_guaranteetemplate"
    selector = staticmethod(selectors.templates_for)
    action_label = "发布模板"
    success_message = "模板已发布，此前发布的版本已停用。"

    def perform(self, obj, form):
        services.publish_template(obj, actor=self.request.user)


class GuaranteeTemplateRetireView(ObjectActionView):
    permission_required = "catalog.publish_guaranteetemplate"
    selector = staticmethod(selectors.templates_for)
    action_label = "停用模板"
    success_message = "模板已停用。"

    def perform(self, obj, form):
        services.retire_template(obj, actor=self.request.user)


class GuaranteeTemplateNewVersionView(ObjectActionView):
    permission_required = "catalog.add_guaranteetemplate"
    selector = staticmethod(selectors.templates_for)
    action_label = "新建版本"
    success_message = "已新建草稿版本，修改后发布即可生效。"

    def perform(self, obj, form):
        self.created = services.new_version(obj, actor=self.request.user)

    def success_url(self, obj):
        created = getattr(self, "created", None)
        return reverse("catalog:template_edit", args=[created.pk]) if created else obj.get_absolute_url()


class GuaranteeTemplatePreviewView(ScopedMixin, View):
    """The template filled with sample data, as a real PDF."""

    permission_required = "catalog.view_guaranteetemplate"
    selector = staticmethod(selectors.templates_for)
    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        template = scoped_get(self.get_queryset(), kwargs["pk"])
        try:
            content = services.preview_pdf(template)
        except ServiceError as exc:
            messages.error(request, exc.message)
            return redirect(template.get_absolute_url())
        response = HttpResponse(content, content_type="application/pdf")
        filename = f"template-{template.pk}-v{template.version}-preview.pdf"
        response["Content-Disposition"] = f'inline; filename="{filename}"'
        return response
