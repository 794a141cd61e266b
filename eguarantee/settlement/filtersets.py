"""One FilterSet per list, shared by the page and the API (DESIGN.md §2)."""

import django_filters
from django import forms
from django.db.models import Q

from eguarantee.accounts.models import Organization
from eguarantee.catalog.models import GuaranteeType
from eguarantee.core.filtersets import SearchFilterSet
from eguarantee.guarantees.choices import ISSUED_STATES, GuaranteeStatus

from .choices import FeeKind
from .models import FeeRecord, LedgerLine

DATE = {"widget": forms.DateInput(attrs={"type": "date"})}
LINE_STATUSES = [(s.value, s.label) for s in GuaranteeStatus if s in ISSUED_STATES]


def _date(label, field, lookup):
    return django_filters.DateFilter(label=label, field_name=field, lookup_expr=lookup, **DATE)


class LedgerFilterSet(SearchFilterSet):
    search_fields = ("number", "beneficiary_name", "project_name", "applicant__name", "guarantor__name")
    guarantee_type = django_filters.ModelChoiceFilter(
        label="保函类型", field_name="guarantee_type", to_field_name="code", queryset=GuaranteeType.objects.all()
    )
    # Guarantors are public (their institutions are listed to every party); applicants are
    # not, so an applicant is searched by name or credit code rather than offered in a list.
    guarantor = django_filters.ModelChoiceFilter(
        label="保证人", queryset=Organization.objects.filter(org_type="guarantor").order_by("name")
    )
    applicant = django_filters.CharFilter(label="申请人（名称或信用代码）", method="filter_applicant")
    status = django_filters.ChoiceFilter(label="状态", field_name="guarantee__status", choices=LINE_STATUSES)
    issued_after = _date("出函日期从", "issued_at", "date__gte")
    issued_before = _date("至", "issued_at", "date__lte")
    end_after = _date("失效日期从", "end_date", "gte")
    end_before = _date("至", "end_date", "lte")

    class Meta:
        model = LedgerLine
        fields = [
            "q",
            "guarantee_type",
            "guarantor",
            "applicant",
            "status",
            "issued_after",
            "issued_before",
            "end_after",
            "end_before",
        ]

    def filter_applicant(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(applicant__name__icontains=value) | Q(applicant__credit_code=value.upper()))


class FeeFilterSet(SearchFilterSet):
    search_fields = ("guarantee__number", "guarantee__order_number", "reference", "payer__name", "payee__name")
    kind = django_filters.ChoiceFilter(label="类别", choices=FeeKind.choices)
    occurred_after = _date("发生日期从", "occurred_at", "date__gte")
    occurred_before = _date("至", "occurred_at", "date__lte")

    class Meta:
        model = FeeRecord
        fields = ["q", "kind", "occurred_after", "occurred_before"]
