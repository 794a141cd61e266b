import django_filters

from eguarantee.core.filtersets import SearchFilterSet

from .choices import OrgStatus, OrgType, UserStatus
from .models import Organization, Role, User


class OrganizationFilterSet(SearchFilterSet):
    search_fields = ("name", "credit_code", "contact_name")
    org_type = django_filters.ChoiceFilter(label="单位类型", choices=OrgType.choices)
    status = django_filters.ChoiceFilter(label="状态", choices=OrgStatus.choices)
    region_code = django_filters.CharFilter(label="行政区划", lookup_expr="startswith")

    class Meta:
        model = Organization
        fields = ["q", "org_type", "status", "region_code"]


class UserFilterSet(SearchFilterSet):
    search_fields = ("username", "full_name", "mobile", "organization__name")
    status = django_filters.ChoiceFilter(label="账号状态", choices=UserStatus.choices)
    organization = django_filters.NumberFilter(label="单位ID", field_name="organization_id")
    org_type = django_filters.ChoiceFilter(
        label="单位类型", field_name="organization__org_type", choices=OrgType.choices
    )
    role = django_filters.CharFilter(label="角色编码", field_name="groups__role__code")

    class Meta:
        model = User
        fields = ["q", "status", "org_type", "organization", "role"]


class RoleFilterSet(SearchFilterSet):
    search_fields = ("name", "code", "description")
    org_type = django_filters.ChoiceFilter(label="适用单位类型", choices=OrgType.choices)
    enabled = django_filters.BooleanFilter(label="启用")

    class Meta:
        model = Role
        fields = ["q", "org_type", "enabled"]
