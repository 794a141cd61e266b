from django.urls import reverse

from eguarantee.core.tables import Column, Table

_MARK = 987654321


class GuaranteeLinkColumn(Column):
    """The guarantee's number, linked to the guarantee's own page (a fee record has none)."""

    def __init__(self):
        super().__init__("guarantee__number", "保函编号")
        self._pattern = None

    def cell_html(self, obj, text, url):
        if self._pattern is None:
            self._pattern = reverse("guarantees:guarantee_detail", args=[_MARK])
        return super().cell_html(obj, text, self._pattern.replace(str(_MARK), str(obj.guarantee_id)))


class LedgerTable(Table):
    detail_url_name = "settlement:ledger_detail"
    columns = [
        Column("number", link=True),
        Column("guarantee_type__name", "保函类型"),
        Column("applicant__name", "申请人"),
        Column("guarantor__name", "保证人"),
        Column("beneficiary_name"),
        Column("project_name"),
        Column("amount"),
        Column("premium"),
        Column("issued_at"),
        Column("end_date"),
        Column("guarantee__status", "状态"),
    ]
    # The columns' fields only: a guarantee row is wide (application fields, file hashes).
    only = (
        "number",
        "guarantee_type__name",
        "applicant__name",
        "guarantor__name",
        "beneficiary_name",
        "project_name",
        "amount",
        "premium",
        "issued_at",
        "end_date",
        "guarantee__status",
    )


class FeeTable(Table):
    columns = [
        GuaranteeLinkColumn(),
        Column("kind"),
        Column("amount"),
        Column("payer__name", "付款单位"),
        Column("payee__name", "收款单位"),
        Column("occurred_at"),
        Column("reference"),
    ]
    only = ("guarantee__number", "kind", "amount", "payer__name", "payee__name", "occurred_at", "reference")
