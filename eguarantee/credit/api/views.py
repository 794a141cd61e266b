from eguarantee.accounts.models import Organization
from eguarantee.core.api import ReadOnlyScopedViewSet

from .. import filtersets, selectors
from ..models import CreditRecord
from . import serializers as s


class CreditRecordViewSet(ReadOnlyScopedViewSet):
    """信用记录 (6.6.9): read only; each record is written once, from the guarantee event it
    names, and never changed."""

    model = CreditRecord
    queryset = CreditRecord.objects.none()
    selector = staticmethod(selectors.records_for)
    serializer_class = s.CreditRecordSerializer
    filterset_class = filtersets.RecordFilterSet
    ordering_fields = ["occurred_at", "created_at", "kind"]


class CreditOrganizationViewSet(ReadOnlyScopedViewSet):
    """企业信用概况: each enterprise with the records the caller may see, counted per kind."""

    model = CreditRecord  # the permission asked is to view credit records
    queryset = Organization.objects.none()
    selector = staticmethod(selectors.organizations_for)
    serializer_class = s.CreditOrganizationSerializer
    filterset_class = filtersets.OrganizationFilterSet
    ordering_fields = ["name", "total_count", "negative_count"]
    ordering = ["-total_count", "name"]
