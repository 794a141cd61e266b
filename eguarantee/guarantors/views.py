from django.http import FileResponse, Http404
from django.utils import timezone
from django.views import View

from eguarantee.core.views import (
    ObjectActionView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    ScopedMixin,
)

from . import figures, filtersets, forms, selectors, services, tables
from .choices import ClauseStatus
from .models import Clause, GuarantorProfile, Offer, Qualification

MODULE = "保证人管理"
_on = staticmethod


def _local(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else None


def _yuan(value):
    return f"{value:,.2f} 元" if value is not None else None


class EditView(ObjectEditView):
    """Add (no pk) and change (pk) of one of the module's models through its service."""

    form_takes_actor = True

    def get_initial(self):
        initial = super().get_initial()
        if "guarantor" in self.request.GET:
            initial["guarantor"] = self.request.GET["guarantor"]
        return initial

    def data(self, form):
        return {k: v for k, v in form.cleaned_data.items() if not form.fields[k].disabled}


# ---------------------------------------------------------------- institution (6.2.1)

PROFILE_DETAIL = [
    ("保证人", "organization__name"),
    ("统一社会信用代码", "organization__credit_code"),
    ("机构类型", "institution_type"),
    ("注册资本", lambda p: _yuan(p.registered_capital)),
    ("信用评级", "credit_rating"),
    ("评级机构", "rating_agency"),
    ("评级日期", "rating_date"),
    ("法定代表人", "legal_representative"),
    ("服务热线", "service_hotline"),
    ("机构简码", "short_code"),
    ("启用", lambda p: "是" if p.enabled else "否"),
    ("机构简介", "introduction"),
]


class ProfileListView(ObjectListView):
    permission_required = "guarantors.view_guarantorprofile"
    selector = _on(selectors.profiles_for)
    filterset_class = filtersets.ProfileFilterSet
    table_class = tables.ProfileTable
    module_label, page_label = MODULE, "机构信息"
    list_url_name = "guarantors:profile_list"
    add_url_name, add_permission = "guarantors:profile_add", "guarantors.add_guarantorprofile"
    export_columns = [*PROFILE_DETAIL[:3], ("注册资本（元）", "registered_capital"), *PROFILE_DETAIL[4:11]]
    export_filename = "保证人机构信息"


class ProfileDetailView(ObjectDetailView):
    permission_required = "guarantors.view_guarantorprofile"
    selector = _on(selectors.profiles_for)
    template_name = "guarantors/profile_detail.html"
    detail_fields = PROFILE_DETAIL
    module_label, page_label = MODULE, "机构信息"
    list_url_name = "guarantors:profile_list"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, org_id = self.request.user, self.object.organization_id
        today = timezone.localdate()
        if user.has_perm("guarantors.view_qualification"):
            context["qualifications"] = [
                (q, tables.qualification_badge(q, today))
                for q in selectors.qualifications_for(user).filter(guarantor_id=org_id)
            ]
        context["offers"] = selectors.offers_for(user).filter(guarantor_id=org_id)
        context["clauses"] = [
            (c, tables.clause_badge(c, today)) for c in selectors.clauses_for(user).filter(guarantor_id=org_id)
        ]
        return context


class ProfileEditView(EditView):
    model = GuarantorProfile
    form_class = forms.ProfileForm
    selector = _on(selectors.profiles_for)
    module_label, page_label = MODULE, "机构信息"
    list_url_name = "guarantors:profile_list"
    success_message = "机构信息已保存。"

    def save(self, form):
        data = self.data(form)
        profile = self.get_object()
        if profile is None:
            return services.create_profile(actor=self.request.user, organization=data.pop("organization"), data=data)
        return services.update_profile(profile, actor=self.request.user, data=data)


class ProfileDeleteView(ObjectDeleteView):
    permission_required = "guarantors.delete_guarantorprofile"
    selector = _on(selectors.profiles_for)
    list_url_name = "guarantors:profile_list"
    action_label = "删除机构信息"
    success_message = "机构信息已删除。"

    def perform(self, obj, form):
        services.delete_profile(obj, actor=self.request.user)


# ---------------------------------------------------------------- qualifications (6.2.1)

QUALIFICATION_DETAIL = [
    ("保证人", "guarantor__name"),
    ("资质类别", "kind"),
    ("资质名称", "display_name"),
    ("证书编号", "licence_number"),
    ("发证机关", "issuing_body"),
    ("有效期起", "valid_from"),
    ("有效期止", lambda q: q.valid_to or "长期有效"),
    ("有效状态", "status_label"),
    ("历史记录", lambda q: "是（不计为有效资质）" if q.is_historical else "否"),
]


class QualificationListView(ObjectListView):
    permission_required = "guarantors.view_qualification"
    selector = _on(selectors.qualifications_for)
    filterset_class = filtersets.QualificationFilterSet
    table_class = tables.QualificationTable
    module_label, page_label = MODULE, "资质信息"
    list_url_name = "guarantors:qualification_list"
    add_url_name, add_permission = "guarantors:qualification_add", "guarantors.add_qualification"
    export_columns = [*QUALIFICATION_DETAIL, ("证书SHA-256", "certificate_sha256"), ("证书SM3", "certificate_sm3")]
    export_filename = "保证人资质"
    template_name = "guarantors/qualification_list.html"


class QualificationDetailView(ObjectDetailView):
    permission_required = "guarantors.view_qualification"
    selector = _on(selectors.qualifications_for)
    template_name = "guarantors/qualification_detail.html"
    detail_fields = [
        *QUALIFICATION_DETAIL,
        ("证书SHA-256", "certificate_sha256"),
        ("证书SM3", "certificate_sm3"),
        ("已发送到期提醒", lambda q: _local(q.expiry_warned_at)),
    ]
    module_label, page_label = MODULE, "资质信息"
    list_url_name = "guarantors:qualification_list"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["badge"] = tables.qualification_badge(self.object)
        return context


class QualificationEditView(EditView):
    model = Qualification
    form_class = forms.QualificationForm
    selector = _on(selectors.qualifications_for)
    module_label, page_label = MODULE, "资质信息"
    list_url_name = "guarantors:qualification_list"
    success_message = "资质信息已保存。"

    def save(self, form):
        data = self.data(form)
        certificate = data.pop("certificate", None)
        qualification = self.get_object()
        if qualification is None:
            guarantor = data.pop("guarantor")
            return services.add_qualification(
                actor=self.request.user, guarantor=guarantor, data=data, certificate=certificate
            )
        return services.update_qualification(qualification, actor=self.request.user, data=data, certificate=certificate)


class QualificationDeleteView(ObjectDeleteView):
    permission_required = "guarantors.delete_qualification"
    selector = _on(selectors.qualifications_for)
    list_url_name = "guarantors:qualification_list"
    action_label = "删除资质"
    success_message = "资质已删除。"

    def perform(self, obj, form):
        services.delete_qualification(obj, actor=self.request.user)


class CertificateDownloadView(ScopedMixin, View):
    permission_required = "guarantors.view_qualification"
    selector = _on(selectors.qualifications_for)

    def get(self, request, pk):
        qualification = self.get_object()
        if not qualification.certificate:
            raise Http404
        request.audit_sensitive = "下载资质证书"
        request.audit_object = qualification
        return FileResponse(
            qualification.certificate.open("rb"),
            as_attachment=False,
            filename=qualification.certificate.name.rsplit("/", 1)[-1],
        )


# ---------------------------------------------------------------- business information (6.2.2)

OFFER_DETAIL = [
    ("保证人", "guarantor__name"),
    ("保函类型", "guarantee_type__name"),
    ("服务区域", "region_names"),
    ("费率区间", "rate_range"),
    ("最低保费", lambda o: _yuan(o.min_premium)),
    ("单笔最高担保金额", lambda o: _yuan(o.max_single_amount)),
    ("总担保额度", lambda o: _yuan(o.total_capacity)),
    ("承诺出函时效", lambda o: f"{o.turnaround_hours} 小时"),
    ("启用", lambda o: "是" if o.enabled else "否"),
    ("备注", "note"),
]


class OfferListView(ObjectListView):
    permission_required = "guarantors.view_offer"
    selector = _on(selectors.offers_for)
    filterset_class = filtersets.OfferFilterSet
    table_class = tables.OfferTable
    module_label, page_label = MODULE, "业务信息"
    list_url_name = "guarantors:offer_list"
    add_url_name, add_permission = "guarantors:offer_add", "guarantors.add_offer"
    export_columns = [
        ("保证人", "guarantor__name"),
        ("保函类型", "guarantee_type__name"),
        ("服务区域代码", lambda o: "、".join(o.regions)),
        ("服务区域", "region_names"),
        ("费率下限（%）", "rate_min"),
        ("费率上限（%）", "rate_max"),
        ("最低保费（元）", "min_premium"),
        ("单笔最高担保金额（元）", "max_single_amount"),
        ("总担保额度（元）", "total_capacity"),
        ("承诺出函时效（小时）", "turnaround_hours"),
        ("启用", lambda o: "是" if o.enabled else "否"),
    ]
    export_filename = "保证人业务信息"


class OfferDetailView(ObjectDetailView):
    permission_required = "guarantors.view_offer"
    selector = _on(selectors.offers_for)
    template_name = "guarantors/offer_detail.html"
    detail_fields = OFFER_DETAIL
    module_label, page_label = MODULE, "业务信息"
    list_url_name = "guarantors:offer_list"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        offer = self.object
        context["show_figures"] = selectors.sees_figures(self.request.user, offer.guarantor_id)
        if context["show_figures"]:
            counted = figures.for_offer(offer)
            context["figures"] = counted
            if counted is not None:
                context["outstanding"] = _yuan(counted.outstanding_amount)
                context["capacity_used"] = figures.capacity_used(offer, counted)
        context["sample_premium"] = services.quote(offer, min(offer.max_single_amount, 1_000_000))
        context["sample_amount"] = _yuan(min(offer.max_single_amount, 1_000_000))
        return context


class OfferEditView(EditView):
    model = Offer
    form_class = forms.OfferForm
    selector = _on(selectors.offers_for)
    module_label, page_label = MODULE, "业务信息"
    list_url_name = "guarantors:offer_list"
    success_message = "业务信息已保存。"

    def save(self, form):
        data = self.data(form)
        offer = self.get_object()
        if offer is None:
            return services.create_offer(
                actor=self.request.user,
                guarantor=data.pop("guarantor"),
                guarantee_type=data.pop("guarantee_type"),
                data=data,
            )
        return services.update_offer(offer, actor=self.request.user, data=data)


class OfferDeleteView(ObjectDeleteView):
    permission_required = "guarantors.delete_offer"
    selector = _on(selectors.offers_for)
    list_url_name = "guarantors:offer_list"
    action_label = "删除业务信息"
    success_message = "业务信息已删除。"

    def perform(self, obj, form):
        services.delete_offer(obj, actor=self.request.user)


# ---------------------------------------------------------------- clauses (6.2.3)

CLAUSE_DETAIL = [
    ("保证人", "guarantor__name"),
    ("保函类型", "guarantee_type__name"),
    ("条款标题", "title"),
    ("版本号", lambda c: f"v{c.version}"),
    ("生效日期", "effective_from"),
    ("失效日期", lambda c: c.effective_to or "长期（直至新版本生效）"),
    ("状态", "status"),
    ("取代的版本", "supersedes"),
    ("发布人", "published_by"),
    ("发布时间", lambda c: _local(c.published_at)),
]


class ClauseListView(ObjectListView):
    permission_required = "guarantors.view_clause"
    selector = _on(selectors.clauses_for)
    filterset_class = filtersets.ClauseFilterSet
    table_class = tables.ClauseTable
    module_label, page_label = MODULE, "业务条款"
    list_url_name = "guarantors:clause_list"
    add_url_name, add_permission = "guarantors:clause_add", "guarantors.add_clause"
    export_columns = [*CLAUSE_DETAIL[:7], ("发布时间", "published_at"), ("条款正文", "body")]
    export_filename = "保证人业务条款"


class ClauseDetailView(ObjectDetailView):
    permission_required = "guarantors.view_clause"
    selector = _on(selectors.clauses_for)
    template_name = "guarantors/clause_detail.html"
    detail_fields = CLAUSE_DETAIL
    module_label, page_label = MODULE, "业务条款"
    list_url_name = "guarantors:clause_list"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        clause = self.object
        today = timezone.localdate()
        context["badge"] = tables.clause_badge(clause, today)
        versions = selectors.clauses_for(self.request.user).filter(
            guarantor_id=clause.guarantor_id, guarantee_type_id=clause.guarantee_type_id
        )
        context["versions"] = [(v, tables.clause_badge(v, today)) for v in versions.order_by("-version")]
        context["can_delete"] = clause.status == ClauseStatus.DRAFT or clause.effective_from > today
        return context


class ClauseEditView(EditView):
    model = Clause
    form_class = forms.ClauseForm
    selector = _on(selectors.clauses_for)
    module_label, page_label = MODULE, "业务条款"
    list_url_name = "guarantors:clause_list"
    success_message = "条款已保存。"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        clause = self.get_object()
        if clause is not None and clause.status == ClauseStatus.PUBLISHED:
            context["page_label"] = "修改条款（发布新版本）"
        return context

    def save(self, form):
        data = self.data(form)
        clause = self.get_object()
        if clause is None:
            return services.create_clause(
                actor=self.request.user,
                guarantor=data.pop("guarantor"),
                guarantee_type=data.pop("guarantee_type"),
                data=data,
            )
        revised = services.update_clause(clause, actor=self.request.user, data=data)
        if revised.pk != clause.pk:
            self.success_message = f"已发布新版本 v{revised.version}，原版本 v{clause.version} 保持不变。"
        return revised


class ClausePublishView(ObjectActionView):
    permission_required = "guarantors.publish_clause"
    selector = _on(selectors.clauses_for)
    action_label = "发布条款"
    success_message = "条款已发布。"

    def perform(self, obj, form):
        services.publish_clause(obj, actor=self.request.user)


class ClauseDeleteView(ObjectDeleteView):
    permission_required = "guarantors.delete_clause"
    selector = _on(selectors.clauses_for)
    list_url_name = "guarantors:clause_list"
    action_label = "删除条款"
    success_message = "条款已删除。"

    def perform(self, obj, form):
        services.delete_clause(obj, actor=self.request.user)
