from eguarantee.core.tables import Column, Table


class OrganizationTable(Table):
    detail_url_name = "accounts:organization_detail"
    columns = [
        Column("name", link=True),
        Column("credit_code"),
        Column("org_type"),
        Column("region_code"),
        Column("status"),
        Column("created_at"),
    ]


class RegistrationTable(Table):
    detail_url_name = "accounts:registration_detail"
    columns = [
        Column("name", link=True),
        Column("credit_code"),
        Column("org_type"),
        Column("region_code"),
        Column("contact_name"),
        Column("created_at"),
    ]
    default_order = ("created_at",)  # oldest application first


class UserTable(Table):
    only = ("username", "full_name", "mobile", "status", "last_login", "organization__name")
    detail_url_name = "accounts:user_detail"
    columns = [
        Column("pk", select=True),
        Column("username", link=True),
        Column("full_name"),
        Column("organization", header="所属单位", sortable=False),
        Column("masked_mobile", header="手机号码", sortable=False),
        Column("status"),
        Column("last_login"),
    ]


class RoleTable(Table):
    columns = [
        Column("name", link=True),
        Column("code"),
        Column("org_type"),
        Column("enabled"),
        Column("builtin"),
        Column("user_count", header="用户数"),  # annotated by RoleListView: one query, not one per row
    ]
