from eguarantee.core.tables import Column, Table


def query_text(inspection):
    labels = {"number": "保函编号", "code": "验真码", "project": "项目", "applicant": "申请人", "matches": "命中"}
    return "；".join(f"{labels.get(k, k)}：{'******' if k == 'code' else v}" for k, v in inspection.query.items())


class InspectionTable(Table):
    detail_url_name = "guarantees:inspection_detail"
    columns = [
        Column("created_at", link=True),
        Column("inspector", header="查验人", sortable=False),
        Column("organization", header="查验单位", sortable=False),
        Column("query", header="查验条件", display=query_text),
        Column("result"),
        Column("guarantee", header="保函", sortable=False),
    ]
    default_order = ("-created_at", "-id")


class GuaranteeTable(Table):
    detail_url_name = "guarantees:guarantee_detail"
    columns = [
        Column("order_number", link=True),
        Column("number"),
        Column("guarantee_type", header="保函类型", sortable=False),
        Column("applicant", header="申请人", sortable=False),
        Column("guarantor", header="保证人", sortable=False),
        Column("beneficiary_name"),
        Column("amount"),
        Column("end_date"),
        Column("status"),
        Column("created_at"),
    ]


class CollusionWarningTable(Table):
    """Each warning links to the application that raised it (its get_absolute_url)."""

    columns = [
        Column("created_at", link=True),
        Column(
            "section", header="标段", sortable=False, display=lambda w: f"{w.section.project.name} / {w.section.number}"
        ),
        Column("guarantee", header="投标人", sortable=False, display=lambda w: w.guarantee.applicant.name),
        Column("other", header="关联投标人", sortable=False, display=lambda w: w.other.applicant.name),
        Column("basis"),
        Column("shared_value"),
    ]
    default_order = ("-created_at", "-id")
