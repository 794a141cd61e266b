from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.shortcuts import render
from django.views import View

from eguarantee.core.exceptions import ServiceError
from eguarantee.core.views import ObjectDetailView, ObjectListView

from . import filtersets, forms, selectors, services, tables

MODULE = "行政管理部门配置管理"


INSPECTION_DETAIL = [
    ("查验时间", "created_at"),
    ("查验人", "inspector"),
    ("查验单位", "organization"),
    ("查验条件", tables.query_text),
    ("查验结果", "result"),
    ("保函", "guarantee"),
    ("查验时状态", lambda i: i.guarantee.get_status_display() if i.guarantee else "—"),
]


class InspectView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """电子保函查验 (6.3.3): the check writes an Inspection, so it is a POST."""

    permission_required = "guarantees.add_inspection"
    template_name = "guarantees/inspect.html"

    def context(self, form, **extra):
        return {
            "form": form,
            "page_label": "电子保函查验",
            "breadcrumbs": [(MODULE, None), ("电子保函查验", None)],
            **extra,
        }

    def get(self, request):
        return render(request, self.template_name, self.context(forms.InspectForm()))

    def post(self, request):
        form = forms.InspectForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, self.context(form), status=400)
        try:
            result, found, inspection = services.inspect(actor=request.user, **form.cleaned_data)
        except ServiceError as exc:
            form.add_error(None, exc.message)
            return render(request, self.template_name, self.context(form), status=exc.status)
        return render(
            request,
            self.template_name,
            self.context(form, result=result, found=found, inspection=inspection, checked=True),
        )


class InspectionListView(ObjectListView):
    permission_required = "guarantees.view_inspection"
    selector = staticmethod(selectors.inspections_for)
    filterset_class = filtersets.InspectionFilterSet
    table_class = tables.InspectionTable
    module_label = MODULE
    page_label = "查验记录"
    list_url_name = "guarantees:inspection_list"
    export_columns = INSPECTION_DETAIL
    export_filename = "查验记录"


class InspectionDetailView(ObjectDetailView):
    permission_required = "guarantees.view_inspection"
    selector = staticmethod(selectors.inspections_for)
    detail_fields = INSPECTION_DETAIL
    module_label = MODULE
    page_label = "查验记录"
    list_url_name = "guarantees:inspection_list"
