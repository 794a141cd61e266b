import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone

from eguarantee.accounts.filtersets import SearchFilterSet
from eguarantee.accounts.models import Organization
from eguarantee.catalog.models import GuaranteeType
from eguarantee.core import regions

from .choices import ClauseStatus, InstitutionType, QualificationKind, QualificationStatus
from .models import Clause, GuarantorProfile, Offer, Qualification, status_q
from .selectors import region_covered_q


def _guarantors(request):
    """The guarantor choices a user may filter by: the ones they can see."""
    qs = Organization.objects.filter(org_type="guarantor").order_by("name")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return qs.none()
    if user.is_platform:
        return qs
    if user.organization.org_type == "guarantor":
        return qs.filter(pk=user.organization_id)
    return qs.filter(status="approved", guarantor_profile__enabled=True)


def _guarantor_filter():
    return django_filters.ModelChoiceFilter(label="保证人", field_name="guarantor", queryset=_guarantors)


def _type_filter():
    return django_filters.ModelChoiceFilter(
        label="保函类型",
        field_name="guarantee_type",
        to_field_name="code",
        queryset=GuaranteeType.objects.all(),
    )


class ProfileFilterSet(SearchFilterSet):
    search_fields = ("organization__name", "short_code", "organization__credit_code")
    institution_type = django_filters.ChoiceFilter(label="机构类型", choices=InstitutionType.choices)
    enabled = django_filters.BooleanFilter(label="启用")

    class Meta:
        model = GuarantorProfile
        fields = ["q", "institution_type", "enabled"]


class QualificationFilterSet(SearchFilterSet):
    search_fields = ("licence_number", "issuing_body", "name", "guarantor__name")
    guarantor = _guarantor_filter()
    kind = django_filters.ChoiceFilter(label="资质类别", choices=QualificationKind.choices)
    expiry = django_filters.ChoiceFilter(
        label="有效状态", choices=QualificationStatus.choices, method="filter_expiry", empty_label="全部"
    )

    class Meta:
        model = Qualification
        fields = ["q", "guarantor", "kind", "expiry"]

    def filter_expiry(self, queryset, name, value):
        return queryset.filter(status_q(value, timezone.localdate()))


class OfferFilterSet(SearchFilterSet):
    search_fields = ("guarantor__name", "note")
    guarantor = _guarantor_filter()
    guarantee_type = _type_filter()
    region = django_filters.CharFilter(label="服务区域（行政区划代码）", method="filter_region")
    enabled = django_filters.BooleanFilter(label="启用")

    class Meta:
        model = Offer
        fields = ["q", "guarantor", "guarantee_type", "region", "enabled"]

    def filter_region(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        if not regions.is_valid(value):
            return queryset.none()
        return queryset.filter(region_covered_q(value))


class ClauseFilterSet(SearchFilterSet):
    search_fields = ("title", "body", "guarantor__name")
    guarantor = _guarantor_filter()
    guarantee_type = _type_filter()
    status = django_filters.ChoiceFilter(label="状态", choices=ClauseStatus.choices)
    in_force_on = django_filters.DateFilter(
        label="在某日生效", method="filter_in_force", widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = Clause
        fields = ["q", "guarantor", "guarantee_type", "status", "in_force_on"]

    def filter_in_force(self, queryset, name, value):
        return queryset.filter(status=ClauseStatus.PUBLISHED, effective_from__lte=value).filter(
            Q(effective_to__isnull=True) | Q(effective_to__gte=value)
        )
