from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.forms import formset_factory
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views import View
from django.views.generic import FormView

from eguarantee.core.exceptions import ServiceError
from eguarantee.core.scope import scoped_get
from eguarantee.core.views import ObjectActionView, ObjectDeleteView, ObjectDetailView, ObjectListView, ScopedMixin

from . import filtersets, forms, selectors, services, tables
from .models import Project

MODULE = "工程项目管理"


def _money(value):
    return f"{value:,.2f}" if value is not None else None


PROJECT_DETAIL = [
    ("项目编号", "number"),
    ("项目名称", "name"),
    ("项目类型", "project_type"),
    ("项目所在地", lambda p: f"{p.region_name}（{p.region_code}）"),
    ("招标人/受益人", "beneficiary_name"),
    ("招标人统一社会信用代码", "beneficiary_credit_code"),
    ("受益人注册状态", lambda p: "已在平台注册" if p.beneficiary_id else "未注册（已邀请或待审批）"),
    ("总投资（元）", lambda p: _money(p.total_investment)),
    ("合同估算价（元）", lambda p: _money(p.contract_estimate)),
    ("开标时间", "bid_opening_at"),
    ("投标有效期（天）", "bid_validity_days"),
    ("招标公告时间", "tender_announced_at"),
    ("项目来源", "source"),
    ("外部系统项目标识", "external_id"),
    ("录入单位", "created_by"),
    ("归口主管部门", "department"),
    ("锁定时间", "locked_at"),
    ("锁定原因", "lock_reason"),
    ("录入时间", "created_at"),
]

EXPORT_COLUMNS = [
    ("项目编号", "number"),
    ("项目名称", "name"),
    ("项目类型", "project_type"),
    ("行政区划代码", "region_code"),
    ("招标人", "beneficiary_name"),
    ("招标人统一社会信用代码", "beneficiary_credit_code"),
    ("总投资（元）", "total_investment"),
    ("合同估算价（元）", "contract_estimate"),
    ("开标时间", "bid_opening_at"),
    ("投标有效期（天）", "bid_validity_days"),
    ("招标公告时间", "tender_announced_at"),
    ("项目来源", "source"),
    ("外部系统项目标识", "external_id"),
    ("录入单位", "created_by__name"),
    ("归口主管部门", "department__name"),
    ("锁定时间", "locked_at"),
    ("录入时间", "created_at"),
]


def can_edit(user, project):
    if not user.has_perm("projects.change_project"):
        return False
    if not user.is_platform and project.created_by_id != user.organization_id:
        return False
    return not services.is_locked(project) or user.has_perm("projects.change_locked_project")


# ---------------------------------------------------------------- projects


class ProjectListView(ObjectListView):
    permission_required = "projects.view_project"
    selector = staticmethod(selectors.projects_for)
    filterset_class = filtersets.ProjectFilterSet
    table_class = tables.ProjectTable
    module_label = MODULE
    page_label = "工程项目"
    list_url_name = "projects:project_list"
    add_url_name = "projects:project_add"
    add_permission = "projects.add_project"
    export_columns = EXPORT_COLUMNS
    export_filename = "工程项目"


class ProjectDetailView(ObjectDetailView):
    permission_required = "projects.view_project"
    selector = staticmethod(selectors.projects_for)
    template_name = "projects/project_detail.html"
    detail_fields = PROJECT_DETAIL
    module_label = MODULE
    page_label = "工程项目"
    list_url_name = "projects:project_list"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        project, user = self.object, self.request.user
        participant = selectors.is_participant(user, project)
        context.update(
            sections=project.sections.all(),
            documents=project.documents.select_related("organization", "uploaded_by"),
            participants=project.participants.select_related("organization"),
            can_edit=can_edit(user, project),
            can_delete=user.has_perm("projects.delete_project")
            and (user.is_platform or project.created_by_id == user.organization_id)
            and not project.is_locked,
            can_upload=user.has_perm("projects.add_projectdocument") and (participant or user.is_platform),
            can_delete_documents=user.has_perm("projects.delete_projectdocument"),
            # Who was invited, and on which number, is the entering organization's business.
            invitations=project.invitations.select_related("invited_by", "linked_organization")
            if user.is_platform or project.created_by_id == user.organization_id
            else [],
        )
        return context


class ProjectEditView(ScopedMixin, FormView):
    """Create or edit a project together with its sections (an inline formset)."""

    form_class = forms.ProjectForm
    template_name = "projects/project_form.html"
    module_label = MODULE
    page_label = "工程项目"
    list_url_name = "projects:project_list"

    def get_permission_required(self):
        return ["projects.change_project" if "pk" in self.kwargs else "projects.add_project"]

    def get_queryset(self):
        return selectors.editable_projects_for(self.request.user)

    def dispatch(self, request, *args, **kwargs):
        self.object = None
        return super().dispatch(request, *args, **kwargs)

    def _load(self):
        if "pk" in self.kwargs and self.object is None:
            self.object = self.get_object()
        return self.object

    def get_initial(self):
        project = self._load()
        if project is None:
            return {"bid_validity_days": 90}
        initial = {name: getattr(project, name) for name in services.PROJECT_FIELDS}
        initial.update(
            beneficiary=project.beneficiary,
            beneficiary_name=project.beneficiary_name,
            beneficiary_credit_code=project.beneficiary_credit_code,
        )
        return initial

    def section_formset(self):
        project = self._load()
        if project is None:
            initial, extra = [], 2
        else:
            initial = [
                {"id": s.pk, "number": s.number, "name": s.name, "bid_bond_amount": s.bid_bond_amount}
                for s in project.sections.all()
            ]
            extra = 1
        factory = formset_factory(
            forms.SectionForm,
            formset=forms.BaseSectionFormSet,
            extra=extra,
            can_delete=True,
            max_num=200,
            absolute_max=200,
        )
        data = self.request.POST if self.request.method == "POST" else None
        return factory(data, initial=initial, prefix="sections")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        project = self._load()
        context.setdefault("formset", self.section_formset())
        context["object"] = project
        context["locked"] = project is not None and project.is_locked
        context["can_join"] = self.request.user.has_perm("projects.join_project")
        label = f"修改项目：{project}" if project else "录入工程项目"
        context["page_label"] = label
        context["breadcrumbs"] = [*self.breadcrumbs(), (label, None)]
        return context

    def post(self, request, *args, **kwargs):
        project = self._load()
        form = self.get_form()
        formset = self.section_formset()
        if not (form.is_valid() and formset.is_valid()):
            return self.render_to_response(self.get_context_data(form=form, formset=formset))
        try:
            if project is None:
                self.object = services.create_project(
                    actor=request.user, data=form.project_data(), sections=formset.rows()
                )
            else:
                self.object = services.update_project(
                    project, actor=request.user, data=form.project_data(), sections=formset.rows()
                )
        except ServiceError as exc:
            extra = self._show_error(exc, form, formset)
            return self.render_to_response(self.get_context_data(form=form, formset=formset, **extra))
        messages.success(request, "项目已保存。" if project else "项目已录入。")
        return HttpResponseRedirect(self.object.get_absolute_url())

    def _show_error(self, exc, form, formset):
        extra = {}
        if exc.code == "project_exists":
            extra["existing_project"] = Project.objects.filter(pk=exc.details.get("project_id")).first()
        rows = exc.details.get("sections") if exc.field == "sections" else None
        placed = False
        if rows:
            for index, errors in rows.items():
                section_form = formset.form_for_row(int(index))
                for field, field_errors in errors.items():
                    if section_form is not None and field in section_form.fields:
                        section_form.add_error(field, field_errors[0])
                        placed = True
        if exc.field in form.fields:
            form.add_error(exc.field, exc.message)
        else:
            form.add_error(None, exc.message)
        extra["sections_error"] = exc.message if exc.field == "sections" and not placed else None
        return extra


class NumberCheckView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """htmx: as soon as a number is typed, say whether it is already on the platform."""

    permission_required = "projects.add_project"

    def get(self, request):
        number = request.GET.get("number", "")
        exclude = request.GET.get("exclude")
        existing = services.find_by_number(number)
        if existing is not None and exclude and str(existing.pk) == exclude:
            existing = None
        return render(
            request,
            "projects/_number_check.html",
            {
                "existing_project": existing,
                "can_join": request.user.has_perm("projects.join_project"),
                "already_participant": existing is not None and selectors.is_participant(request.user, existing),
            },
        )


class ProjectJoinView(ObjectActionView):
    permission_required = "projects.join_project"
    selector = staticmethod(selectors.joinable_projects_for)
    template_name = "projects/project_join.html"
    action_label = "加入项目"
    success_message = "已加入该项目，可在工程项目列表中查看并申请保函。"

    def perform(self, obj, form):
        self.request.audit_object = obj
        services.join_project(obj, actor=self.request.user)


class ProjectDeleteView(ObjectDeleteView):
    permission_required = "projects.delete_project"
    selector = staticmethod(selectors.editable_projects_for)
    list_url_name = "projects:project_list"
    action_label = "删除项目"
    success_message = "项目已删除。"

    def perform(self, obj, form):
        self.request.audit_object = obj
        services.delete_project(obj, actor=self.request.user)


# ---------------------------------------------------------------- sections


class SectionListView(ObjectListView):
    permission_required = "projects.view_section"
    selector = staticmethod(selectors.sections_for)
    filterset_class = filtersets.SectionFilterSet
    table_class = tables.SectionTable
    module_label = MODULE
    page_label = "项目标段"
    list_url_name = "projects:section_list"
    export_columns = [
        ("项目编号", "project__number"),
        ("项目名称", "project__name"),
        ("标段编号", "number"),
        ("标段名称", "name"),
        ("投标保证金（元）", "bid_bond_amount"),
    ]
    export_filename = "项目标段"


class SectionDetailView(ObjectDetailView):
    permission_required = "projects.view_section"
    selector = staticmethod(selectors.sections_for)
    template_name = "projects/section_detail.html"
    detail_fields = [
        ("工程项目", "project"),
        ("标段编号", "number"),
        ("标段名称", "name"),
        ("投标保证金（元）", lambda s: _money(s.bid_bond_amount)),
        ("创建时间", "created_at"),
        ("更新时间", "updated_at"),
    ]
    module_label = MODULE
    page_label = "项目标段"
    list_url_name = "projects:section_list"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_edit"] = can_edit(self.request.user, self.object.project)
        return context


# ---------------------------------------------------------------- documents


class DocumentListView(ObjectListView):
    permission_required = "projects.view_projectdocument"
    selector = staticmethod(selectors.documents_for)
    filterset_class = filtersets.DocumentFilterSet
    table_class = tables.DocumentTable
    module_label = MODULE
    page_label = "项目资料"
    list_url_name = "projects:document_list"
    export_columns = [
        ("项目编号", "project__number"),
        ("项目名称", "project__name"),
        ("资料类型", "doc_type"),
        ("文件名", "original_name"),
        ("文件大小（字节）", "size"),
        ("SM3", "sm3"),
        ("SHA-256", "sha256"),
        ("上传单位", "organization__name"),
        ("上传时间", "uploaded_at"),
    ]
    export_filename = "项目资料"


class DocumentDetailView(ObjectDetailView):
    permission_required = "projects.view_projectdocument"
    selector = staticmethod(selectors.documents_for)
    template_name = "projects/document_detail.html"
    detail_fields = [
        ("工程项目", "project"),
        ("资料类型", "doc_type"),
        ("文件名", "original_name"),
        ("文件类型", "content_type"),
        ("文件大小（字节）", "size"),
        ("SM3", "sm3"),
        ("SHA-256", "sha256"),
        ("说明", "note"),
        ("上传单位", "organization"),
        ("上传人", "uploaded_by"),
        ("上传时间", "uploaded_at"),
    ]
    module_label = MODULE
    page_label = "项目资料"
    list_url_name = "projects:document_list"


class DocumentUploadView(ScopedMixin, FormView):
    permission_required = "projects.add_projectdocument"
    form_class = forms.DocumentForm
    template_name = "core/object_form.html"
    module_label = MODULE
    page_label = "项目资料"
    list_url_name = "projects:document_list"

    def get_queryset(self):
        return selectors.projects_for(self.request.user)

    def dispatch(self, request, *args, **kwargs):
        self.project = None
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        self.project = self.project or self.get_object()
        context = super().get_context_data(**kwargs)
        context["page_label"] = "上传项目资料"
        context["object"] = self.project
        context["breadcrumbs"] = [
            (MODULE, None),
            ("工程项目", reverse("projects:project_list")),
            (str(self.project), self.project.get_absolute_url()),
            ("上传项目资料", None),
        ]
        return context

    def form_valid(self, form):
        self.project = self.get_object()
        data = form.cleaned_data
        try:
            services.upload_document(
                self.project, actor=self.request.user, doc_type=data["doc_type"], upload=data["file"], note=data["note"]
            )
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            return self.form_invalid(form)
        messages.success(self.request, "项目资料已上传。")
        return HttpResponseRedirect(self.project.get_absolute_url() + "#documents")


class DocumentDownloadView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "projects.view_projectdocument"

    def get(self, request, pk):
        document = scoped_get(selectors.documents_for(request.user), pk)
        if not document.file:
            raise Http404
        # The operation log records who downloaded which document.
        request.audit_sensitive = "下载项目资料"
        request.audit_object = document
        try:
            handle = document.file.open("rb")
        except FileNotFoundError:
            raise Http404("文件不存在。") from None
        return FileResponse(handle, as_attachment=True, filename=document.original_name)


class DocumentDeleteView(ObjectActionView):
    permission_required = "projects.delete_projectdocument"
    selector = staticmethod(selectors.documents_for)
    action_label = "删除项目资料"
    success_message = "项目资料已删除。"

    def perform(self, obj, form):
        self.request.audit_object = obj
        services.delete_document(obj, actor=self.request.user)

    def success_url(self, obj):
        return obj.project.get_absolute_url()
