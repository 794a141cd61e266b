from eguarantee.core.tables import Column, Table


class ProjectTable(Table):
    detail_url_name = "projects:project_detail"
    columns = [
        Column("number", link=True),
        Column("name", link=True),
        Column("project_type"),
        Column("region_code"),
        Column("beneficiary_name", header="招标人"),
        Column("contract_estimate"),
        Column("bid_opening_at"),
        Column("source"),
        Column("locked_at", header="已锁定", display=lambda p: p.locked_at is not None),
    ]
    default_order = ("-created_at", "-id")


class SectionTable(Table):
    detail_url_name = "projects:section_detail"
    columns = [
        Column("number", link=True),
        Column("name", link=True),
        Column("project__number", header="项目编号"),
        Column("project__name", header="项目名称"),
        Column("bid_bond_amount"),
    ]
    default_order = ("project_id", "number")


class DocumentTable(Table):
    detail_url_name = "projects:document_detail"
    columns = [
        Column("original_name", link=True),
        Column("doc_type"),
        Column("project__number", header="项目编号"),
        Column("organization", header="上传单位", sortable=False),
        Column("size"),
        Column("uploaded_at"),
    ]
