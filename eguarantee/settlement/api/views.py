from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from eguarantee.core.api import ReadOnlyScopedViewSet

from .. import filtersets, selectors
from ..models import FeeRecord, LedgerLine
from . import serializers as s


class LedgerLineViewSet(ReadOnlyScopedViewSet):
    """业务台账 (6.8.1): one line per issued guarantee the caller may see; `status` and
    `closed_at` are the guarantee's own, current."""

    model = LedgerLine
    queryset = LedgerLine.objects.none()
    selector = staticmethod(selectors.ledger_lines_for)
    serializer_class = s.LedgerLineSerializer
    filterset_class = filtersets.LedgerFilterSet
    ordering_fields = ["issued_at", "end_date", "amount", "premium", "number"]

    @extend_schema(responses=s.LedgerTotalsSerializer, description="按筛选条件统计的笔数、担保金额合计与保费合计。")
    @action(detail=False, methods=["get"], permission="settlement.view_ledgerline", pagination_class=None)
    def totals(self, request):
        totals = selectors.ledger_totals(self.filter_queryset(self.get_queryset()))
        return Response(s.LedgerTotalsSerializer(totals).data)


class FeeRecordViewSet(ReadOnlyScopedViewSet):
    """保费记录: receivable at issue, received at payment, refunded when a paid application
    is cancelled."""

    model = FeeRecord
    queryset = FeeRecord.objects.none()
    selector = staticmethod(selectors.fee_records_for)
    serializer_class = s.FeeRecordSerializer
    filterset_class = filtersets.FeeFilterSet
    ordering_fields = ["occurred_at", "amount"]
