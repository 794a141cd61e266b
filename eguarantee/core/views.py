"""Generic views every module uses (NetBox's shape): list with filters, sorting, pagination,
bulk actions and Excel export; detail; create/edit; delete; single-object actions.

A view names its selector (what this user may see), its permission, and the service that
writes. It never filters or writes by itself.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View
from django.views.generic import DetailView, FormView, TemplateView
from django_filters.views import FilterView

from . import export
from .exceptions import ServiceError
from .filtersets import filter_bar
from .jinja2_env import url  # reverse() of a URL without arguments, kept per process
from .scope import scoped_get


class ScopedMixin(LoginRequiredMixin, PermissionRequiredMixin):
    """selector(user) returns the queryset this user may see; everything reads through it."""

    selector = None
    module_label = ""
    page_label = ""

    def get_queryset(self):
        return self.selector(self.request.user)

    def get_object(self, queryset=None):
        return scoped_get(queryset if queryset is not None else self.get_queryset(), self.kwargs["pk"])

    def breadcrumbs(self):
        crumbs = [(self.module_label, None)] if self.module_label else []
        list_url = getattr(self, "list_url_name", None)
        if self.page_label:
            crumbs.append((self.page_label, url(list_url) if list_url else None))
        return crumbs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("breadcrumbs", self.breadcrumbs())
        context.setdefault("page_label", self.page_label)
        return context


class ObjectListView(ScopedMixin, FilterView):
    template_name = "core/object_list.html"
    table_class = None  # a core.tables.Table; it sorts and paginates
    paginate_by = 25
    export_columns = None  # [(header, getter)]; None: no export button
    export_permission = None
    export_filename = "export"
    bulk_actions = ()  # [(key, label, permission)]
    add_url_name = None
    add_permission = None

    def get_paginate_by(self, queryset):
        return None  # the table paginates

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx" and self.export_columns:
            return self.export(request)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        key = request.POST.get("bulk_action")
        action = next((a for a in self.bulk_actions if a[0] == key), None)
        if action is None:
            messages.error(request, "请选择要执行的批量操作。")
            return HttpResponseRedirect(request.get_full_path())
        if not request.user.has_perm(action[2]):
            raise PermissionDenied
        ids = request.POST.getlist("pk")
        objects = list(self.get_queryset().filter(pk__in=ids))
        if not objects:
            messages.error(request, "请至少选择一条记录。")
            return HttpResponseRedirect(request.get_full_path())
        done, failed = 0, []
        for obj in objects:
            try:
                self.run_bulk_action(key, obj)
                done += 1
            except ServiceError as exc:
                failed.append(f"{obj}：{exc.message}")
        if done:
            messages.success(request, f"{action[1]}：成功 {done} 条。")
        for line in failed:
            messages.error(request, line)
        return HttpResponseRedirect(request.get_full_path())

    def run_bulk_action(self, key, obj):
        raise NotImplementedError

    def export(self, request):
        if self.export_permission and not request.user.has_perm(self.export_permission):
            raise PermissionDenied
        request.audit_sensitive = "导出"
        filterset = self.filterset_class(request.GET, queryset=self.get_queryset(), request=request)
        queryset = filterset.qs if filterset.is_valid() else self.get_queryset().none()
        headers = [header for header, _ in self.export_columns]
        rows = export.queryset_rows(queryset, self.export_columns)
        return export.xlsx_response(headers, rows, self.export_filename, self.page_label or "数据")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if context.get("filter") is not None:
            context["filter_html"] = filter_bar(context["filter"]).html
        context["table"] = self.table_class(self.object_list, self.request, per_page=self.paginate_by)
        user = self.request.user
        context["can_export"] = bool(self.export_columns) and (
            not self.export_permission or user.has_perm(self.export_permission)
        )
        context["bulk_actions"] = [a for a in self.bulk_actions if user.has_perm(a[2])]
        if self.add_url_name and user.has_perm(self.add_permission or ""):
            context["add_url"] = url(self.add_url_name)
        return context


class ObjectDetailView(ScopedMixin, DetailView):
    template_name = "core/object_detail.html"
    detail_fields = ()  # [(label, getter)]
    sensitive_read = False  # personal data on the page: logged as a sensitive read

    def get(self, request, *args, **kwargs):
        if self.sensitive_read:
            request.audit_sensitive = "查看"
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        obj = self.object
        context["fields"] = [(label, export.resolve(obj, getter)) for label, getter in self.detail_fields]
        context["breadcrumbs"] = [*self.breadcrumbs(), (str(obj), None)]
        return context


class ServiceFormMixin:
    """form_valid hands the cleaned data to `save(form)`, which calls a service; a
    ServiceError becomes an inline message on the form and nothing is written."""

    template_name = "core/object_form.html"
    success_message = "已保存。"

    def save(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            self.object = self.save(form)
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return HttpResponseRedirect(self.get_success_url())

    def get_success_url(self):
        if hasattr(self.object, "get_absolute_url"):
            return self.object.get_absolute_url()
        return reverse(self.list_url_name)


class ObjectEditView(ScopedMixin, ServiceFormMixin, FormView):
    """Add (no pk in the URL) or change (pk) one object of `model` through its service: the
    permission follows (`app.add_model` / `app.change_model`), the object is fetched through
    the selector once, and the form gets it as `instance` (and the user as `actor` when
    `form_takes_actor`)."""

    model = None
    form_takes_actor = False

    def get_permission_required(self):
        verb = "change" if "pk" in self.kwargs else "add"
        return [f"{self.model._meta.app_label}.{verb}_{self.model._meta.model_name}"]

    def get_object(self, queryset=None):
        if "pk" not in self.kwargs:
            return None
        if not hasattr(self, "_object"):
            self._object = super().get_object(queryset)
        return self._object

    def get_form_kwargs(self):
        kwargs = {**super().get_form_kwargs(), "instance": self.get_object()}
        if self.form_takes_actor:
            kwargs["actor"] = self.request.user
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.get_object(), **kwargs)


class ObjectActionView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """POST-only action on one object (approve, lock, …). GET shows a confirmation form."""

    selector = None
    template_name = "core/object_action.html"
    action_label = ""
    form_class = None
    success_message = "操作成功。"
    http_method_names = ["get", "post"]

    def get_object(self):
        return scoped_get(self.selector(self.request.user), self.kwargs["pk"])

    def perform(self, obj, form):
        raise NotImplementedError

    def get_form(self, data=None):
        return self.form_class(data) if self.form_class else None

    def success_url(self, obj):
        return obj.get_absolute_url()

    def get(self, request, *args, **kwargs):
        obj = self.get_object()
        return render(request, self.template_name, self.context(obj, self.get_form()))

    def context(self, obj, form):
        return {"object": obj, "form": form, "action_label": self.action_label, "page_label": self.action_label}

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        form = self.get_form(request.POST)
        if form is not None and not form.is_valid():
            return render(request, self.template_name, self.context(obj, form), status=400)
        try:
            self.perform(obj, form)
        except ServiceError as exc:
            messages.error(request, exc.message)
            if form is not None:
                form.add_error(None, exc.message)
                return render(request, self.template_name, self.context(obj, form), status=exc.status)
            return redirect(self.success_url(obj))
        messages.success(request, self.success_message)
        if request.headers.get("HX-Request"):
            response = HttpResponseRedirect(self.success_url(obj))
            response["HX-Redirect"] = self.success_url(obj)
            return response
        return redirect(self.success_url(obj))


class ObjectDeleteView(ObjectActionView):
    """Delete through a service; back to the list when the object is gone, to the object
    when the service kept it (refused, or a soft delete)."""

    list_url_name = None

    def success_url(self, obj):
        if type(obj)._default_manager.filter(pk=obj.pk).exists():
            return obj.get_absolute_url()
        return reverse(self.list_url_name)


class DashboardView(LoginRequiredMixin, TemplateView):
    template_name = "core/dashboard.html"


class BuildingView(TemplateView):
    """Entries whose module is not built yet say so instead of failing."""

    template_name = "core/building.html"
    title = ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = self.title
        return context
