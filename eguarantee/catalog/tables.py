from eguarantee.core.tables import Column, Table


class GuaranteeTypeTable(Table):
    detail_url_name = "catalog:type_detail"
    columns = [
        Column("name", link=True),
        Column("code"),
        Column("validity_rule"),
        Column("sealed_allowed"),
        Column("builtin"),
        Column("enabled"),
        Column("sort_order"),
    ]
    default_order = ("sort_order", "code")


def _owner(template):
    return template.guarantor.name if template.guarantor else "平台默认"


class GuaranteeTemplateTable(Table):
    detail_url_name = "catalog:template_detail"
    columns = [
        Column("name", link=True),
        Column("guarantee_type", header="保函类型", sortable=False),
        Column("guarantor", header="保证人", display=_owner),
        Column("version"),
        Column("status"),
        Column("published_at"),
        Column("updated_at"),
    ]
