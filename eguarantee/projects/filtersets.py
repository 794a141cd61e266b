import django_filters

from eguarantee.accounts.filtersets import SearchFilterSet

from .choices import DocumentType, ProjectSource, ProjectType
from .models import Project, ProjectDocument, Section


class ProjectFilterSet(SearchFilterSet):
    search_fields = ("number", "name", "beneficiary_name")
    number = django_filters.CharFilter(label="项目编号", lookup_expr="icontains")
    name = django_filters.CharFilter(label="项目名称", lookup_expr="icontains")
    project_type = django_filters.ChoiceFilter(label="项目类型", choices=ProjectType.choices)
    region_code = django_filters.CharFilter(label="行政区划", method="filter_region")
    bid_opening_from = django_filters.DateFilter(
        label="开标日期起", field_name="bid_opening_at", lookup_expr="date__gte"
    )
    bid_opening_to = django_filters.DateFilter(label="开标日期止", field_name="bid_opening_at", lookup_expr="date__lte")
    source = django_filters.ChoiceFilter(label="项目来源", choices=ProjectSource.choices)
    locked = django_filters.BooleanFilter(label="已锁定", field_name="locked_at", lookup_expr="isnull", exclude=True)

    class Meta:
        model = Project
        fields = [
            "q",
            "number",
            "name",
            "project_type",
            "region_code",
            "bid_opening_from",
            "bid_opening_to",
            "source",
            "locked",
        ]

    def filter_region(self, queryset, name, value):
        """A province or city code covers its districts: 350200 → 3502xx."""
        from eguarantee.accounts.validators import jurisdiction_prefix

        value = value.strip()
        return queryset.filter(region_code__startswith=jurisdiction_prefix(value)) if value else queryset


class SectionFilterSet(SearchFilterSet):
    search_fields = ("number", "name", "project__number", "project__name")
    project = django_filters.NumberFilter(label="项目ID", field_name="project_id")
    project_number = django_filters.CharFilter(label="项目编号", field_name="project__number", lookup_expr="icontains")

    class Meta:
        model = Section
        fields = ["q", "project", "project_number"]


class DocumentFilterSet(SearchFilterSet):
    search_fields = ("original_name", "note", "project__number", "project__name")
    project = django_filters.NumberFilter(label="项目ID", field_name="project_id")
    doc_type = django_filters.ChoiceFilter(label="资料类型", choices=DocumentType.choices)
    uploaded_from = django_filters.DateFilter(label="上传日期起", field_name="uploaded_at", lookup_expr="date__gte")
    uploaded_to = django_filters.DateFilter(label="上传日期止", field_name="uploaded_at", lookup_expr="date__lte")

    class Meta:
        model = ProjectDocument
        fields = ["q", "project", "doc_type", "uploaded_from", "uploaded_to"]
