import django_filters

from eguarantee.core.filtersets import SearchFilterSet

from .models import TreeHead, Witness, WitnessAlarm


class TreeHeadFilterSet(django_filters.FilterSet):
    confirmed = django_filters.BooleanFilter(
        label="已见证确认", field_name="confirmed_at", lookup_expr="isnull", exclude=True
    )
    created_after = django_filters.DateFilter(label="签发日期起", field_name="created_at", lookup_expr="date__gte")
    created_before = django_filters.DateFilter(label="签发日期止", field_name="created_at", lookup_expr="date__lte")

    class Meta:
        model = TreeHead
        fields = []


class WitnessFilterSet(SearchFilterSet):
    search_fields = ("name", "organization__name", "key_id")
    active = django_filters.BooleanFilter(label="参与确认")

    class Meta:
        model = Witness
        fields = []


class AlarmFilterSet(SearchFilterSet):
    search_fields = ("witness__name", "reason", "message")

    class Meta:
        model = WitnessAlarm
        fields = []
