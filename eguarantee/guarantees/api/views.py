from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from eguarantee.core.api import ReadOnlyScopedViewSet

from .. import filtersets, selectors, services
from ..models import Inspection
from . import serializers as s


class InspectionViewSet(ReadOnlyScopedViewSet):
    """电子保函查验 (6.3.3): POST a check; GET the checks already made."""

    model = Inspection
    queryset = Inspection.objects.none()
    selector = staticmethod(selectors.inspections_for)
    serializer_class = s.InspectionSerializer
    filterset_class = filtersets.InspectionFilterSet
    ordering_fields = ["created_at"]

    @extend_schema(request=s.InspectRequestSerializer, responses={201: s.InspectResponseSerializer})
    def create(self, request):
        body = s.InspectRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        result, found, inspection = services.inspect(actor=request.user, **body.validated_data)
        data = {
            "result": result,
            "result_label": inspection.get_result_display(),
            "inspection": s.InspectionSerializer(inspection).data,
            "guarantees": s.InspectedGuaranteeSerializer(found, many=True).data,
        }
        return Response(data, status=status.HTTP_201_CREATED)
