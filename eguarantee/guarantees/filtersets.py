import django_filters

from eguarantee.core.filtersets import SearchFilterSet

from .choices import InspectionResult
from .models import Inspection


class InspectionFilterSet(SearchFilterSet):
    search_fields = ("guarantee__number", "inspector__full_name", "inspector__username")
    result = django_filters.ChoiceFilter(label="查验结果", choices=InspectionResult.choices)
    created_after = django_filters.DateFilter(label="查验日期从", field_name="created_at", lookup_expr="date__gte")
    created_before = django_filters.DateFilter(label="至", field_name="created_at", lookup_expr="date__lte")

    class Meta:
        model = Inspection
        fields = ["q", "result", "created_after", "created_before"]
