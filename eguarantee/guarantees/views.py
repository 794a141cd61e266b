import io
from functools import cache

from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import resolve, reverse
from django.views import View
from django.views.generic import FormView

from eguarantee.core.exceptions import NotAllowed, ServiceError
from eguarantee.core.scope import scoped_get
from eguarantee.core.views import ObjectActionView, ObjectDetailView, ObjectListView, ScopedMixin, ServiceFormMixin

from . import filtersets, forms, selectors, services, tables, workflow
from .choices import FilingStatus

MODULE = "行政管理部门配置管理"
GUARANTEES = "电子保函管理"


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
    template_name = "guarantees/inspection_detail.html"

    def get_context_data(self, **kwargs):
        # The inspected guarantee's current document with its evidence-log proof (6.3.3);
        # a read of the log, imported here as guarantees never depends on evidence at load.
        from eguarantee.evidence.verification import evidence_for_guarantee

        context = super().get_context_data(**kwargs)
        guarantee = self.object.guarantee
        context["evidence"] = evidence_for_guarantee(guarantee) if guarantee is not None else None
        return context


# ---------------------------------------------------------------- guarantees (6.6)

GUARANTEE_DETAIL = [
    ("申请单号", "order_number"),
    ("保函编号", "number"),
    ("保函类型", "guarantee_type"),
    ("状态", "status"),
    ("申请人", "applicant"),
    ("保证人", "guarantor"),
    ("受益人", "beneficiary_name"),
    ("受益人统一社会信用代码", "beneficiary_credit_code"),
    ("工程项目", "project"),
    ("标段", "section"),
    ("归口主管部门", "department"),
    ("担保金额（元）", "amount"),
    ("剩余担保金额（元）", "outstanding_amount"),
    ("费率（%）", "rate"),
    ("保费（元）", "premium"),
    ("生效日期", "start_date"),
    ("失效日期", "end_date"),
    ("密文出函", "sealed"),
    ("报送状态", "filing_status"),
    ("出函时间", "issued_at"),
    ("保函文件SM3", "document_sm3"),
    ("申请时间", "created_at"),
]

# move → the page that makes it (its view class says which permission it needs)
ACTIONS = {
    "submit": "guarantees:guarantee_submit",
    "resubmit": "guarantees:guarantee_resubmit",
    "revise": "guarantees:guarantee_revise",
    "request_info": "guarantees:guarantee_request_info",
    "cancel": "guarantees:guarantee_cancel",
    "accept": "guarantees:guarantee_accept",
    "approve": "guarantees:guarantee_approve",
    "reject": "guarantees:guarantee_reject",
    "confirm_payment": "guarantees:guarantee_confirm_payment",
    "issue": "guarantees:guarantee_issue",
    "confirm_release": "guarantees:guarantee_release",
    "request_surrender": "guarantees:surrender_request",
    "surrender": "guarantees:surrender_approve",
    "refuse_surrender": "guarantees:surrender_refuse",
}


@cache
def _view_of(url_name):
    """The view class behind a guarantee's action page (its permission, its label)."""
    return resolve(reverse(url_name, args=[1])).func.view_class


def _permission_of(url_name):
    return _view_of(url_name).permission_required


def available_actions(guarantee, user):
    """[(label, url)] of the moves this user's organization may make now."""
    result = _filing_actions(guarantee, user)
    for move in workflow.actions_from(guarantee.status):
        if move.action not in ACTIONS or move.party == workflow.SYSTEM:
            continue
        field = services.PARTY_FIELDS[move.party]
        url_name = ACTIONS[move.action]
        if user.organization_id == getattr(guarantee, field) and user.has_perm(_permission_of(url_name)):
            result.append((move.label, reverse(url_name, args=[guarantee.pk])))
    return result


def _filing_actions(guarantee, user):
    org = user.organization_id
    if guarantee.filing_status == FilingStatus.FILED and org == guarantee.department_id:
        if user.has_perm("guarantees.review_filing"):
            return [
                ("受理报送", reverse("guarantees:filing_accept", args=[guarantee.pk])),
                ("退回报送", reverse("guarantees:filing_return", args=[guarantee.pk])),
            ]
    if guarantee.filing_status == FilingStatus.RETURNED and org in (guarantee.applicant_id, guarantee.guarantor_id):
        return [("重新报送", reverse("guarantees:filing_refile", args=[guarantee.pk]))]
    return []


class GuaranteeListView(ObjectListView):
    template_name = "guarantees/guarantee_list.html"
    permission_required = "guarantees.view_guarantee"
    selector = staticmethod(selectors.guarantees_for)
    filterset_class = filtersets.GuaranteeFilterSet
    table_class = tables.GuaranteeTable
    module_label = GUARANTEES
    page_label = "电子保函"
    list_url_name = "guarantees:guarantee_list"
    add_url_name = "guarantees:guarantee_apply"
    add_permission = "guarantees.add_guarantee"
    export_columns = GUARANTEE_DETAIL
    export_filename = "电子保函"


class GuaranteeDetailView(ObjectDetailView):
    permission_required = "guarantees.view_guarantee"
    selector = staticmethod(selectors.guarantees_for)
    template_name = "guarantees/guarantee_detail.html"
    detail_fields = GUARANTEE_DETAIL
    module_label = GUARANTEES
    page_label = "电子保函"
    list_url_name = "guarantees:guarantee_list"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        guarantee = self.object
        context["timeline"] = guarantee.events.select_related("actor", "organization")
        context["actions"] = available_actions(guarantee, self.request.user)
        context["attachments"] = guarantee.attachments.all()
        context["missing"] = services.missing_attachments(guarantee)
        user = self.request.user
        amendments = list(guarantee.amendments.all())
        context["amendments"] = amendments
        context["actions"] += amendment_actions(guarantee, amendments, user)
        context["versions"] = guarantee.versions.all()
        if guarantee.number:  # issued: its document's proof in the evidence log
            from eguarantee.evidence.verification import evidence_for_guarantee

            context["evidence"] = evidence_for_guarantee(guarantee)
        # the premium's page lives in the payments module, which reacts to guarantees
        context["payable"] = bool(guarantee.premium) and user.has_perm("payments.view_paymentorder")
        if user.has_perm("guarantees.view_collusionwarning"):
            context["warnings"] = selectors.collusion_warnings_for(user).filter(
                Q(guarantee=guarantee) | Q(other=guarantee)
            )
        if guarantee.status in services.EDITABLE_STATES and user.organization_id == guarantee.applicant_id:
            if user.has_perm("guarantees.change_guarantee"):
                context["actions"].insert(0, ("修改申请", reverse("guarantees:guarantee_edit", args=[guarantee.pk])))
        context["can_attach"] = (
            guarantee.status in services.EDITABLE_STATES
            and user.organization_id == guarantee.applicant_id
            and user.has_perm("guarantees.change_guarantee")
            and bool(guarantee.guarantee_type.required_attachments)
        )
        return context


class GuaranteeApplyView(ScopedMixin, ServiceFormMixin, FormView):
    permission_required = "guarantees.add_guarantee"
    selector = staticmethod(selectors.guarantees_for)
    form_class = forms.ApplicationForm
    module_label = GUARANTEES
    page_label = "申请电子保函"
    list_url_name = "guarantees:guarantee_list"
    success_message = "保函申请已保存，核对无误后请提交。"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "actor": self.request.user}

    def get_initial(self):
        # Chosen on the 选择保证人 page: type, section, guarantor and amount come along.
        keys = ("guarantee_type", "section", "guarantor", "amount")
        return {key: self.request.GET[key] for key in keys if self.request.GET.get(key)}

    def save(self, form):
        data = dict(form.cleaned_data)
        data["fields"] = {key: data.pop(key) for key in services.EXTRA_FIELDS}
        return services.create_application(actor=self.request.user, **data)


class GuaranteeEditView(ScopedMixin, ServiceFormMixin, FormView):
    permission_required = "guarantees.change_guarantee"
    selector = staticmethod(selectors.guarantees_for)
    form_class = forms.EditApplicationForm
    module_label = GUARANTEES
    page_label = "修改保函申请"
    list_url_name = "guarantees:guarantee_list"
    success_message = "保函申请已修改。"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "guarantee": self.get_object()}

    def get_initial(self):
        guarantee = self.get_object()
        keys = ("guarantor", "amount", "start_date", "end_date", "sealed")
        return {key: getattr(guarantee, key) for key in keys} | guarantee.fields

    def save(self, form):
        data = dict(form.cleaned_data)
        data["fields"] = {key: data.pop(key) for key in services.EXTRA_FIELDS if key in data}
        return services.update_application(self.get_object(), actor=self.request.user, **data)


class QuoteView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """选择保证人: the guarantors that can take this guarantee, with their premiums, to compare."""

    permission_required = "guarantees.add_guarantee"
    template_name = "guarantees/quotes.html"

    def get(self, request):
        form = forms.QuoteForm(request.GET or None, actor=request.user)
        rows = None
        if form.is_bound and form.is_valid():
            data = form.cleaned_data
            rows = selectors.guarantor_quotes(
                data["guarantee_type"], data["region"], data["amount"], sort=data.get("sort") or "premium"
            )
        context = {
            "form": form,
            "rows": rows,
            "page_label": "选择保证人",
            "breadcrumbs": [(GUARANTEES, None), ("选择保证人", None)],
        }
        return render(request, self.template_name, context, status=400 if form.is_bound and form.errors else 200)


class GuaranteeDocumentView(ScopedMixin, View):
    """The issued guarantee's PDF, for the parties (a sensitive read in the operation log)."""

    permission_required = "guarantees.view_guarantee"
    selector = staticmethod(selectors.guarantees_for)

    def get(self, request, pk):
        guarantee = scoped_get(self.get_queryset(), pk)
        if not guarantee.document:
            raise Http404("该保函尚未出具。")
        request.audit_sensitive = "下载保函"
        try:
            content = services.document_bytes(guarantee, user=request.user)
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from None
        return FileResponse(io.BytesIO(content), as_attachment=True, filename=f"{guarantee.number}.pdf")


class GuaranteeMoveView(ObjectActionView):
    selector = staticmethod(selectors.guarantees_for)
    move = ""

    def perform(self, obj, form):
        data = form.cleaned_data if form is not None else {}
        self.run(obj, data)

    def run(self, obj, data):
        raise NotImplementedError


class SubmitView(GuaranteeMoveView):
    permission_required = "guarantees.change_guarantee"
    action_label = "提交申请"

    def run(self, obj, data):
        services.submit(obj, actor=self.request.user)


class ResubmitView(GuaranteeMoveView):
    permission_required = "guarantees.change_guarantee"
    action_label = "补充资料后重新提交"
    form_class = forms.CommentForm

    def run(self, obj, data):
        services.resubmit(obj, actor=self.request.user, comment=data["comment"])


class ReviseView(GuaranteeMoveView):
    permission_required = "guarantees.change_guarantee"
    action_label = "修改后重新申请"

    def run(self, obj, data):
        services.revise(obj, actor=self.request.user)


class RequestInfoView(GuaranteeMoveView):
    permission_required = "guarantees.review_guarantee"
    action_label = "要求补充资料"
    form_class = forms.InfoRequestForm

    def run(self, obj, data):
        services.request_info(obj, actor=self.request.user, comment=data["comment"])


class CancelView(GuaranteeMoveView):
    permission_required = "guarantees.change_guarantee"
    action_label = "撤销申请"
    form_class = forms.ReasonForm

    def run(self, obj, data):
        services.cancel(obj, actor=self.request.user, reason=data["reason"])


class AcceptView(GuaranteeMoveView):
    permission_required = "guarantees.review_guarantee"
    action_label = "受理"

    def run(self, obj, data):
        services.accept(obj, actor=self.request.user)


class ApproveView(GuaranteeMoveView):
    permission_required = "guarantees.review_guarantee"
    action_label = "审核通过"
    form_class = forms.ApproveForm

    def run(self, obj, data):
        services.approve(obj, actor=self.request.user, rate=data.get("rate"), comment=data.get("comment", ""))


class RejectView(GuaranteeMoveView):
    permission_required = "guarantees.review_guarantee"
    action_label = "审核不通过"
    form_class = forms.ReasonForm

    def run(self, obj, data):
        services.reject(obj, actor=self.request.user, reason=data["reason"])


class ConfirmPaymentView(GuaranteeMoveView):
    permission_required = "guarantees.review_guarantee"
    action_label = "收到保费"
    form_class = forms.PaymentForm

    def run(self, obj, data):
        services.confirm_payment(obj, actor=self.request.user, reference=data["reference"], comment=data["comment"])


class IssueView(GuaranteeMoveView):
    permission_required = "guarantees.issue_guarantee"
    action_label = "出函"

    def run(self, obj, data):
        services.issue(obj, actor=self.request.user)


class ReleaseView(GuaranteeMoveView):
    permission_required = "guarantees.release_guarantee"
    action_label = "提前解保"
    form_class = forms.CommentForm

    def run(self, obj, data):
        services.confirm_release(obj, actor=self.request.user, comment=data["comment"])


class SurrenderRequestView(GuaranteeMoveView):
    permission_required = "guarantees.change_guarantee"
    action_label = "申请退保"
    form_class = forms.SurrenderForm

    def run(self, obj, data):
        services.request_surrender(obj, actor=self.request.user, reason=data["reason"], abnormal=data["abnormal"])


class SurrenderApproveView(GuaranteeMoveView):
    permission_required = "guarantees.review_guarantee"
    action_label = "同意退保"
    form_class = forms.CommentForm
    approve = True

    def run(self, obj, data):
        services.decide_surrender(obj, actor=self.request.user, approve=self.approve, comment=data["comment"])


class SurrenderRefuseView(SurrenderApproveView):
    action_label = "不同意退保"
    approve = False


class AttachmentAddView(ScopedMixin, ServiceFormMixin, FormView):
    permission_required = "guarantees.change_guarantee"
    selector = staticmethod(selectors.guarantees_for)
    form_class = forms.AttachmentForm
    module_label = GUARANTEES
    page_label = "上传附件"
    list_url_name = "guarantees:guarantee_list"
    success_message = "附件已上传。"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "guarantee": self.get_object()}

    def save(self, form):
        guarantee = self.get_object()
        services.add_attachment(
            guarantee, actor=self.request.user, key=form.cleaned_data["key"], upload=form.cleaned_data["file"]
        )
        return guarantee


class AttachmentDownloadView(ScopedMixin, View):
    permission_required = "guarantees.view_guarantee"
    selector = staticmethod(selectors.guarantees_for)

    def get(self, request, pk, attachment_id):
        guarantee = scoped_get(self.get_queryset(), pk)
        attachment = guarantee.attachments.filter(pk=attachment_id).first()
        if attachment is None:
            raise Http404("附件不存在。")
        request.audit_sensitive = "下载保函附件"
        return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name)


class ArchiveView(ScopedMixin, View):
    """报备 (6.6.6): the guarantee's files in one zip, with a manifest of their hashes."""

    permission_required = "guarantees.view_guarantee"
    selector = staticmethod(selectors.guarantees_for)

    def get(self, request, pk):
        from . import archive

        guarantee = scoped_get(self.get_queryset(), pk)
        request.audit_sensitive = "下载保函档案"
        response = FileResponse(
            io.BytesIO(archive.bundle(guarantee, user=request.user)),
            as_attachment=True,
            filename=archive.name(guarantee),
        )
        response["Content-Type"] = "application/zip"
        return response


# ---------------------------------------------------------------- filing (6.6.7)


class FilingListView(GuaranteeListView):
    """Guarantees filed with the user's department(s): what the department has to accept."""

    permission_required = "guarantees.review_filing"
    selector = staticmethod(selectors.filed_with)
    module_label = MODULE
    page_label = "保函报送受理"
    list_url_name = "guarantees:filing_list"
    add_url_name = None


class FilingAcceptView(GuaranteeMoveView):
    permission_required = "guarantees.review_filing"
    action_label = "受理报送"

    def run(self, obj, data):
        services.review_filing(obj, actor=self.request.user, accept=True)


class FilingReturnView(GuaranteeMoveView):
    permission_required = "guarantees.review_filing"
    action_label = "退回报送"
    form_class = forms.ReasonForm

    def run(self, obj, data):
        services.review_filing(obj, actor=self.request.user, accept=False, reason=data["reason"])


class RefileView(GuaranteeMoveView):
    permission_required = "guarantees.view_guarantee"
    action_label = "重新报送"
    form_class = forms.CommentForm

    def run(self, obj, data):
        services.refile(obj, actor=self.request.user, comment=data["comment"])


# ---------------------------------------------------------------- amendment 保函变更


class AmendmentRequestView(GuaranteeMoveView):
    permission_required = "guarantees.change_guarantee"
    action_label = "申请变更"
    form_class = forms.AmendmentForm
    success_message = "变更申请已提交，等待保证人审核。"

    def run(self, obj, data):
        services.request_amendment(
            obj,
            actor=self.request.user,
            reason=data["reason"],
            new_amount=data.get("new_amount"),
            new_end_date=data.get("new_end_date"),
        )


class AmendmentMoveView(GuaranteeMoveView):
    """A step on the guarantee's amendment in progress."""

    def run(self, obj, data):
        self.step(services.open_amendment(obj), data)

    def step(self, amendment, data):
        raise NotImplementedError


class AmendmentApproveView(AmendmentMoveView):
    permission_required = "guarantees.review_guarantee"
    action_label = "同意变更"
    form_class = forms.AmendmentApproveForm

    def step(self, amendment, data):
        services.decide_amendment(
            amendment,
            actor=self.request.user,
            approve=True,
            comment=data["comment"],
            additional_premium=data.get("additional_premium"),
        )


class AmendmentRefuseView(AmendmentMoveView):
    permission_required = "guarantees.review_guarantee"
    action_label = "不同意变更"
    form_class = forms.ReasonForm

    def step(self, amendment, data):
        services.decide_amendment(amendment, actor=self.request.user, approve=False, comment=data["reason"])


class AmendmentAcceptView(AmendmentMoveView):
    permission_required = "guarantees.accept_amendment"
    action_label = "接受变更"
    form_class = forms.CommentForm
    success_message = "已接受变更，新版本保函已出具。"

    def step(self, amendment, data):
        services.answer_amendment(amendment, actor=self.request.user, accept=True, comment=data["comment"])


class AmendmentDeclineView(AmendmentMoveView):
    permission_required = "guarantees.accept_amendment"
    action_label = "不接受变更"
    form_class = forms.ReasonForm

    def step(self, amendment, data):
        services.answer_amendment(amendment, actor=self.request.user, accept=False, comment=data["reason"])


class AmendmentWithdrawView(AmendmentMoveView):
    permission_required = "guarantees.change_guarantee"
    action_label = "撤回变更申请"

    def step(self, amendment, data):
        services.withdraw_amendment(amendment, actor=self.request.user)


# The amendment's next steps: status → [(party field, url name)].
AMENDMENT_STEPS = {
    "requested": [
        ("guarantor_id", "guarantees:amendment_approve"),
        ("guarantor_id", "guarantees:amendment_refuse"),
        ("applicant_id", "guarantees:amendment_withdraw"),
    ],
    "approved": [
        ("beneficiary_id", "guarantees:amendment_accept"),
        ("beneficiary_id", "guarantees:amendment_decline"),
        ("applicant_id", "guarantees:amendment_withdraw"),
    ],
}


def amendment_actions(guarantee, amendments, user):
    """[(label, url)]: request one when none is open, else the open one's next steps."""
    from .choices import GuaranteeStatus

    steps = []
    current = next((a for a in amendments if a.is_open), None)
    if current is None:
        if guarantee.status == GuaranteeStatus.ISSUED and guarantee.beneficiary_id:
            steps.append(("applicant_id", "guarantees:amendment_request"))
    else:
        steps = AMENDMENT_STEPS[current.status]
    return [
        (_view_of(name).action_label, reverse(name, args=[guarantee.pk]))
        for field, name in steps
        if user.organization_id == getattr(guarantee, field) and user.has_perm(_permission_of(name))
    ]


class VersionDocumentView(ScopedMixin, View):
    """An earlier (or the current) version of the issued document."""

    permission_required = "guarantees.view_guarantee"
    selector = staticmethod(selectors.guarantees_for)

    def get(self, request, pk, version):
        guarantee = scoped_get(self.get_queryset(), pk)
        found = guarantee.versions.filter(version=version).first()
        if found is None:
            raise Http404("该版本不存在。")
        request.audit_sensitive = "下载保函"
        try:
            content = services.document_bytes(guarantee, user=request.user, version=found)
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from None
        return FileResponse(io.BytesIO(content), as_attachment=True, filename=f"{guarantee.number}-v{version}.pdf")


# ---------------------------------------------------------------- 串标预警


class CollusionListView(ObjectListView):
    permission_required = "guarantees.view_collusionwarning"
    selector = staticmethod(selectors.collusion_warnings_for)
    filterset_class = filtersets.CollusionWarningFilterSet
    table_class = tables.CollusionWarningTable
    module_label = GUARANTEES
    page_label = "串标预警"
    list_url_name = "guarantees:collusion_list"
    export_columns = [
        ("预警时间", "created_at"),
        ("项目", lambda w: w.section.project.name),
        ("标段", lambda w: w.section.number),
        ("投标人", lambda w: w.guarantee.applicant.name),
        ("关联投标人", lambda w: w.other.applicant.name),
        ("预警依据", "basis"),
        ("相同信息", "shared_value"),
    ]
    export_filename = "串标预警"
