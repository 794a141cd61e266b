from django.utils import timezone

from eguarantee.core.views import ObjectDetailView, ObjectListView

from . import filtersets, selectors, tables

MODULE = "保函结算"
_on = staticmethod


def _local(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else None


def _yuan(value):
    return f"{value:,.2f} 元" if value is not None else None


LEDGER_DETAIL = [
    ("保函编号", "number"),
    ("保函类型", "guarantee_type__name"),
    ("申请人", "applicant__name"),
    ("保证人", "guarantor__name"),
    ("受益人", "beneficiary_name"),
    ("工程名称", "project_name"),
    ("标段", "section_name"),
    ("归口主管部门", "department__name"),
    ("担保金额", lambda line: _yuan(line.amount)),
    ("费率", lambda line: f"{line.rate}%" if line.rate is not None else None),
    ("保费", lambda line: _yuan(line.premium)),
    ("生效日期", "start_date"),
    ("失效日期", "end_date"),
    ("出函时间", lambda line: _local(line.issued_at)),
    ("状态", "guarantee__status"),
    ("解保/退保/理赔时间", lambda line: _local(line.closed_at)),
]


class LedgerListView(ObjectListView):
    """业务台账 (6.8.1): filters, sorting, Excel export, and the totals of the filtered set."""

    permission_required = "settlement.view_ledgerline"
    selector = _on(selectors.ledger_lines_for)
    filterset_class = filtersets.LedgerFilterSet
    table_class = tables.LedgerTable
    template_name = "settlement/ledger_list.html"
    module_label, page_label = MODULE, "业务台账"
    list_url_name = "settlement:ledger_list"
    export_columns = [
        ("保函编号", "number"),
        ("保函类型", "guarantee_type__name"),
        ("申请人", "applicant__name"),
        ("申请人统一社会信用代码", "applicant__credit_code"),
        ("保证人", "guarantor__name"),
        ("受益人", "beneficiary_name"),
        ("工程名称", "project_name"),
        ("标段", "section_name"),
        ("归口主管部门", "department__name"),
        ("担保金额（元）", "amount"),
        ("费率（%）", "rate"),
        ("保费（元）", "premium"),
        ("生效日期", "start_date"),
        ("失效日期", "end_date"),
        ("出函时间", "issued_at"),
        ("状态", "guarantee__status"),
        ("解保/退保/理赔时间", "closed_at"),
    ]
    export_filename = "业务台账"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["totals"] = selectors.ledger_totals(self.object_list)
        return context


class LedgerDetailView(ObjectDetailView):
    permission_required = "settlement.view_ledgerline"
    selector = _on(selectors.ledger_lines_for)
    template_name = "settlement/ledger_detail.html"
    detail_fields = LEDGER_DETAIL
    module_label, page_label = MODULE, "业务台账"
    list_url_name = "settlement:ledger_list"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        if user.has_perm("settlement.view_feerecord"):
            context["fees"] = selectors.fee_records_for(user).filter(guarantee_id=self.object.guarantee_id)
        context["can_open_guarantee"] = user.has_perm("guarantees.view_guarantee")
        return context


class FeeListView(ObjectListView):
    """保费记录 (6.8.2 对账单): receivable, received and refunded premiums, with sums per kind."""

    permission_required = "settlement.view_feerecord"
    selector = _on(selectors.fee_records_for)
    filterset_class = filtersets.FeeFilterSet
    table_class = tables.FeeTable
    template_name = "settlement/fee_list.html"
    module_label, page_label = MODULE, "保费记录"
    list_url_name = "settlement:fee_list"
    export_columns = [
        ("保函编号", "guarantee__number"),
        ("申请单号", "guarantee__order_number"),
        ("类别", "kind"),
        ("金额（元）", "amount"),
        ("付款单位", "payer__name"),
        ("收款单位", "payee__name"),
        ("发生时间", "occurred_at"),
        ("凭证号", "reference"),
    ]
    export_filename = "保费记录"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["totals"] = selectors.fee_totals(self.object_list)
        return context
