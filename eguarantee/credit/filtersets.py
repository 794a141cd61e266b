import django_filters
from django import forms

from eguarantee.accounts.choices import OrgType
from eguarantee.accounts.models import Organization
from eguarantee.core.filtersets import SearchFilterSet

from . import selectors
from .choices import Polarity, RecordKind
from .models import CreditRecord

DATE = {"widget": forms.DateInput(attrs={"type": "date"})}


def _organizations(request):
    """The enterprises a user may filter by: those whose records they can see."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return Organization.objects.none()
    visible = selectors.records_for(user).values("organization_id")
    return Organization.objects.filter(pk__in=visible).order_by("name")


class RecordFilterSet(SearchFilterSet):
    search_fields = ("organization__name", "organization__credit_code", "guarantee__number", "guarantee__order_number")
    organization = django_filters.ModelChoiceFilter(label="企业", queryset=_organizations)
    kind = django_filters.ChoiceFilter(label="信用行为", choices=RecordKind.choices)
    polarity = django_filters.ChoiceFilter(label="性质", choices=Polarity.choices)
    guarantee = django_filters.NumberFilter(label="保函ID", field_name="guarantee_id", widget=forms.HiddenInput)
    occurred_after = django_filters.DateFilter(
        label="发生日期从", field_name="occurred_at", lookup_expr="date__gte", **DATE
    )
    occurred_before = django_filters.DateFilter(label="至", field_name="occurred_at", lookup_expr="date__lte", **DATE)

    class Meta:
        model = CreditRecord
        fields = ["q", "organization", "kind", "polarity", "occurred_after", "occurred_before", "guarantee"]


class OrganizationFilterSet(SearchFilterSet):
    search_fields = ("name", "credit_code")
    org_type = django_filters.ChoiceFilter(
        label="单位类型",
        choices=[
            (OrgType.APPLICANT.value, OrgType.APPLICANT.label),
            (OrgType.GUARANTOR.value, OrgType.GUARANTOR.label),
        ],
    )

    class Meta:
        model = Organization
        fields = ["q", "org_type"]
