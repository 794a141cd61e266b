import django_filters
from django.db.models import Q


class SearchFilterSet(django_filters.FilterSet):
    """A free-text box `q` over `search_fields`, as NetBox lists have."""

    search_fields = ()
    q = django_filters.CharFilter(label="关键字", method="search")

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        query = Q()
        for field in self.search_fields:
            query |= Q(**{f"{field}__icontains": value})
        return queryset.filter(query)
