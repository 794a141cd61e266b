import django_filters

from eguarantee.accounts.choices import OrgType
from eguarantee.accounts.models import Organization
from eguarantee.catalog.models import GuaranteeType
from eguarantee.core.filtersets import SearchFilterSet

from .choices import CollusionBasis, FilingStatus, GuaranteeStatus, InspectionResult
from .models import CollusionWarning, Guarantee, Inspection


class InspectionFilterSet(SearchFilterSet):
    search_fields = ("guarantee__number", "inspector__full_name", "inspector__username")
    result = django_filters.ChoiceFilter(label="查验结果", choices=InspectionResult.choices)
    created_after = django_filters.DateFilter(label="查验日期从", field_name="created_at", lookup_expr="date__gte")
    created_before = django_filters.DateFilter(label="至", field_name="created_at", lookup_expr="date__lte")

    class Meta:
        model = Inspection
        fields = ["q", "result", "created_after", "created_before"]


class GuaranteeFilterSet(SearchFilterSet):
    search_fields = (
        "order_number",
        "number",
        "applicant__name",
        "beneficiary_name",
        "project__name",
        "project__number",
    )
    status = django_filters.ChoiceFilter(label="状态", choices=GuaranteeStatus.choices)
    guarantee_type = django_filters.ModelChoiceFilter(label="保函类型", queryset=GuaranteeType.objects.all())
    filing_status = django_filters.ChoiceFilter(label="报送状态", choices=FilingStatus.choices)
    guarantor = django_filters.ModelChoiceFilter(
        label="保证人", queryset=Organization.objects.filter(org_type=OrgType.GUARANTOR)
    )
    issued_after = django_filters.DateFilter(label="出函日期从", field_name="issued_at", lookup_expr="date__gte")
    issued_before = django_filters.DateFilter(label="至", field_name="issued_at", lookup_expr="date__lte")
    end_after = django_filters.DateFilter(label="失效日期从", field_name="end_date", lookup_expr="gte")
    end_before = django_filters.DateFilter(label="至", field_name="end_date", lookup_expr="lte")

    class Meta:
        model = Guarantee
        fields = [
            "q",
            "status",
            "guarantee_type",
            "guarantor",
            "filing_status",
            "issued_after",
            "issued_before",
            "end_after",
            "end_before",
        ]


class CollusionWarningFilterSet(SearchFilterSet):
    search_fields = (
        "section__project__name",
        "section__number",
        "guarantee__applicant__name",
        "other__applicant__name",
    )
    basis = django_filters.ChoiceFilter(label="预警依据", choices=CollusionBasis.choices)

    class Meta:
        model = CollusionWarning
        fields = ["q", "basis"]
