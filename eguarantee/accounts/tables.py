import django_tables2 as tables

from .models import Organization, Role, User


class SelectColumn(tables.CheckBoxColumn):
    def __init__(self, **kwargs):
        super().__init__(accessor="pk", attrs={"th__input": {"data-toggle-all": "1"}}, **kwargs)


class OrganizationTable(tables.Table):
    name = tables.Column(linkify=True)

    class Meta:
        model = Organization
        fields = ("name", "credit_code", "org_type", "region_code", "status", "created_at")
        attrs = {"class": "table table-hover table-sm"}


class RegistrationTable(tables.Table):
    name = tables.Column(linkify=("accounts:registration_detail", [tables.A("pk")]))

    class Meta:
        model = Organization
        fields = ("name", "credit_code", "org_type", "region_code", "contact_name", "created_at")
        attrs = {"class": "table table-hover table-sm"}


class UserTable(tables.Table):
    pk = SelectColumn()
    username = tables.Column(linkify=True)
    organization = tables.Column(verbose_name="所属单位")
    mobile = tables.Column(accessor="masked_mobile", verbose_name="手机号码", orderable=False)

    class Meta:
        model = User
        fields = ("pk", "username", "full_name", "organization", "mobile", "status", "last_login")
        attrs = {"class": "table table-hover table-sm"}


class RoleTable(tables.Table):
    name = tables.Column(linkify=True)
    users = tables.Column(accessor="user_set__count", verbose_name="用户数", orderable=False)

    class Meta:
        model = Role
        fields = ("name", "code", "org_type", "enabled", "builtin", "users")
        attrs = {"class": "table table-hover table-sm"}
