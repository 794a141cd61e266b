from eguarantee.core.tables import Column, Table

from .models import mask_mobile


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


def _masked_mobile(row):
    return mask_mobile(row["mobile"])


class UserTable(Table):
    values = ("pk", "username", "full_name", "organization__name", "mobile", "status", "last_login")
    detail_url_name = "accounts:user_detail"
    columns = [
        Column("pk", select=True),
        Column("username", link=True),
        Column("full_name"),
        Column("organization__name", header="所属单位"),
        Column("mobile", header="手机号码", display=_masked_mobile),
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
