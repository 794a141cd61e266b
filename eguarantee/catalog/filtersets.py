import django_filters

from eguarantee.accounts.choices import OrgType
from eguarantee.accounts.models import Organization
from eguarantee.core.filtersets import SearchFilterSet

from .choices import TemplateStatus, ValidityRule
from .models import GuaranteeTemplate, GuaranteeType


class GuaranteeTypeFilterSet(SearchFilterSet):
    search_fields = ("code", "name", "description")
    enabled = django_filters.BooleanFilter(label="启用")
    validity_rule = django_filters.ChoiceFilter(label="有效期规则", choices=ValidityRule.choices)

    class Meta:
        model = GuaranteeType
        fields = ["q", "enabled", "validity_rule"]


class GuaranteeTemplateFilterSet(SearchFilterSet):
    search_fields = ("name", "title", "body")
    guarantee_type = django_filters.ModelChoiceFilter(label="保函类型", queryset=GuaranteeType.objects.all())
    guarantor = django_filters.ModelChoiceFilter(
        label="保证人", queryset=Organization.objects.filter(org_type=OrgType.GUARANTOR)
    )
    platform_default = django_filters.BooleanFilter(label="平台默认", field_name="guarantor", lookup_expr="isnull")
    status = django_filters.ChoiceFilter(label="状态", choices=TemplateStatus.choices)

    class Meta:
        model = GuaranteeTemplate
        fields = ["q", "guarantee_type", "guarantor", "platform_default", "status"]
