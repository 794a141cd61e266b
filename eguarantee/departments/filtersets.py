import django_filters
from django.db.models import Q

from eguarantee.accounts.models import Organization
from eguarantee.core import regions
from eguarantee.core.filtersets import SearchFilterSet
from eguarantee.projects.choices import ProjectType

from .models import JurisdictionRule

LEVEL_CHOICES = list(regions.LEVEL_LABELS.items())


def _visible_departments(request):
    from . import selectors

    if request is None:  # the API schema
        return selectors.department_organizations()
    return selectors.jurisdiction_departments(request.user).order_by("region_code", "name")


def _level_q(field, level):
    """Region codes of one level: 省级 xx0000, 市级 xxxx00, 区县级 the rest."""
    province = Q(**{f"{field}__endswith": "0000"})
    city = Q(**{f"{field}__endswith": "00"}) & ~province
    return {regions.PROVINCE: province, regions.CITY: city, regions.DISTRICT: ~Q(**{f"{field}__endswith": "00"})}[level]


class DepartmentFilterSet(SearchFilterSet):
    search_fields = ("name", "credit_code", "department_profile__duties", "department_profile__contact_name")
    level = django_filters.ChoiceFilter(label="行政级别", choices=LEVEL_CHOICES, method="filter_level")
    region_code = django_filters.CharFilter(label="行政区划", lookup_expr="startswith", max_length=6)
    parent = django_filters.ModelChoiceFilter(
        label="上级部门", field_name="department_profile__parent", queryset=_visible_departments
    )
    has_profile = django_filters.BooleanFilter(
        label="已建档", field_name="department_profile", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = Organization
        fields = ["q", "level", "region_code", "parent", "has_profile"]

    def filter_level(self, queryset, name, value):
        return queryset.filter(_level_q("region_code", value)) if value else queryset


class RuleFilterSet(SearchFilterSet):
    search_fields = ("department__name", "note", "region_code")
    project_type = django_filters.ChoiceFilter(label="工程类型", choices=ProjectType.choices)
    region_code = django_filters.CharFilter(label="行政区划", lookup_expr="startswith", max_length=6)
    level = django_filters.ChoiceFilter(label="区划级别", choices=LEVEL_CHOICES, method="filter_level")
    department = django_filters.ModelChoiceFilter(label="主管部门", queryset=_visible_departments)
    enabled = django_filters.BooleanFilter(label="启用")

    class Meta:
        model = JurisdictionRule
        fields = ["q", "project_type", "region_code", "level", "department", "enabled"]

    def filter_level(self, queryset, name, value):
        return queryset.filter(_level_q("region_code", value)) if value else queryset
