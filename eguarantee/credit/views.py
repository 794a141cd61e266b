"""Pages of 企业信用: read only — the records are facts, written by the subscribers and the
late-payment job, never through a form."""

import json

from django.db.models import Q
from django.http import Http404
from django.urls import reverse

from eguarantee.accounts.models import Organization
from eguarantee.core.views import ObjectDetailView, ObjectListView
from eguarantee.guarantees.selectors import guarantees_for

from . import filtersets, selectors, tables
from .choices import POLARITY, RecordKind

MODULE = "企业信用"
VIEW = "credit.view_creditrecord"
_on = staticmethod


def _details(record):
    return json.dumps(record.details, ensure_ascii=False, sort_keys=True) if record.details else ""


RECORD_FIELDS = [
    ("发生时间", "occurred_at"),
    ("企业", "organization__name"),
    ("统一社会信用代码", "organization__credit_code"),
    ("信用行为", "kind"),
    ("性质", "polarity"),
    ("保函编号", "guarantee__number"),
    ("申请单号", "guarantee__order_number"),
    ("说明", lambda r: r.details.get("comment", "")),
    ("详情", _details),
    ("记录时间", "created_at"),
]


class RecordListView(ObjectListView):
    permission_required = VIEW
    selector = _on(selectors.records_for)
    filterset_class = filtersets.RecordFilterSet
    table_class = tables.RecordTable
    module_label, page_label = MODULE, "信用记录"
    list_url_name = "credit:record_list"
    export_columns = RECORD_FIELDS
    export_filename = "信用记录"
    template_name = "credit/record_list.html"


class RecordDetailView(ObjectDetailView):
    permission_required = VIEW
    selector = _on(selectors.records_for)
    detail_fields = RECORD_FIELDS
    module_label, page_label = MODULE, "信用记录"
    list_url_name = "credit:record_list"
    template_name = "credit/record_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, record = self.request.user, self.object
        # A guarantor sees an applicant's records on other guarantors' guarantees too; it
        # gets a link only to a guarantee it may open.
        if user.has_perm("guarantees.view_guarantee") and guarantees_for(user).filter(pk=record.guarantee_id).exists():
            context["guarantee_url"] = record.guarantee.get_absolute_url()
        context["organization_url"] = reverse("credit:organization_detail", args=[record.organization_id])
        return context


ORGANIZATION_EXPORT = [
    ("企业", "name"),
    ("统一社会信用代码", "credit_code"),
    ("单位类型", "org_type"),
    ("记录总数", "total_count"),
    *((str(label), f"{kind}_count") for kind, label in RecordKind.choices),
    ("正面", "positive_count"),
    ("中性", "neutral_count"),
    ("负面", "negative_count"),
]


class OrganizationListView(ObjectListView):
    permission_required = VIEW
    selector = _on(selectors.organizations_for)
    filterset_class = filtersets.OrganizationFilterSet
    table_class = tables.OrganizationTable
    module_label, page_label = MODULE, "企业信用概况"
    list_url_name = "credit:organization_list"
    export_columns = ORGANIZATION_EXPORT
    export_filename = "企业信用概况"


def _summary_organizations(user):
    """Whose page a user may open: enterprises with records they can see, and their own
    (zeros included); the platform any enterprise."""
    if user.is_platform:
        return Organization.objects.all()
    visible = selectors.records_for(user).values("organization_id")
    return Organization.objects.filter(Q(pk=user.organization_id) | Q(pk__in=visible))


class OrganizationDetailView(ObjectDetailView):
    """One enterprise: its records counted per kind, and the latest of them."""

    permission_required = VIEW
    selector = _on(_summary_organizations)
    template_name = "credit/organization_detail.html"
    detail_fields = [("统一社会信用代码", "credit_code"), ("单位类型", "org_type")]
    module_label, page_label = MODULE, "企业信用概况"
    list_url_name = "credit:organization_list"
    latest = 20

    def get_object(self, queryset=None):
        if "pk" not in self.kwargs:  # 本单位信用
            if self.request.user.organization_id is None:
                raise Http404("您的账号不属于任何单位。")
            self.kwargs["pk"] = self.request.user.organization_id
        return super().get_object(queryset)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, org = self.request.user, self.object
        summary = selectors.organization_summary(user, org)
        list_url = reverse("credit:record_list")
        context["summary"] = [
            {
                "kind": kind,
                "polarity": POLARITY[kind],
                "count": count,
                "url": f"{list_url}?organization={org.pk}&kind={kind.value}",
            }
            for kind, count in summary["rows"]
        ]
        context["total"] = summary["total"]
        context["all_url"] = f"{list_url}?organization={org.pk}"
        context["records"] = list(selectors.records_for(user).filter(organization=org)[: self.latest])
        return context
