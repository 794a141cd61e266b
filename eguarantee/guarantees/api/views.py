import io

from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from eguarantee.core.api import ReadOnlyScopedViewSet

from .. import filtersets, selectors, services
from ..models import Guarantee, Inspection
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


class GuaranteeViewSet(ReadOnlyScopedViewSet):
    """电子保函 (6.6): applications and guarantees the caller's organization is party to.
    Each move is a POST on the guarantee; a move the state does not allow answers 409
    `invalid_transition`."""

    model = Guarantee
    queryset = Guarantee.objects.none()
    selector = staticmethod(selectors.guarantees_for)
    serializer_class = s.GuaranteeSerializer
    filterset_class = filtersets.GuaranteeFilterSet
    ordering_fields = ["created_at", "end_date", "amount"]

    def _moved(self, guarantee):
        return Response(s.GuaranteeSerializer(guarantee).data)

    def _body(self, serializer_class):
        body = serializer_class(data=self.request.data)
        body.is_valid(raise_exception=True)
        return body.validated_data

    @extend_schema(request=s.ApplicationSerializer, responses={201: s.GuaranteeSerializer})
    def create(self, request):
        body = s.ApplicationSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        made = services.create_application(actor=request.user, **body.validated_data)
        return Response(s.GuaranteeSerializer(made).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"], permission="guarantees.change_guarantee")
    def submit(self, request, pk=None):
        return self._moved(services.submit(self.get_object(), actor=request.user))

    @extend_schema(request=s.ReasonSerializer)
    @action(detail=True, methods=["post"], permission="guarantees.change_guarantee")
    def cancel(self, request, pk=None):
        body = s.ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._moved(services.cancel(self.get_object(), actor=request.user, reason=body.validated_data["reason"]))

    @extend_schema(request=s.CommentSerializer)
    @action(detail=True, methods=["post"], permission="guarantees.change_guarantee")
    def resubmit(self, request, pk=None):
        body = self._body(s.CommentSerializer)
        return self._moved(services.resubmit(self.get_object(), actor=request.user, comment=body["comment"]))

    @extend_schema(request=None)
    @action(detail=True, methods=["post"], permission="guarantees.change_guarantee")
    def revise(self, request, pk=None):
        return self._moved(services.revise(self.get_object(), actor=request.user))

    @extend_schema(request=s.CommentSerializer)
    @action(detail=True, methods=["post"], url_path="request-info", permission="guarantees.review_guarantee")
    def request_info(self, request, pk=None):
        body = self._body(s.CommentSerializer)
        return self._moved(services.request_info(self.get_object(), actor=request.user, comment=body["comment"]))

    @extend_schema(request=None)
    @action(detail=True, methods=["post"], permission="guarantees.review_guarantee")
    def accept(self, request, pk=None):
        return self._moved(services.accept(self.get_object(), actor=request.user))

    @extend_schema(request=s.ApproveSerializer)
    @action(detail=True, methods=["post"], permission="guarantees.review_guarantee")
    def approve(self, request, pk=None):
        body = s.ApproveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        moved = services.approve(self.get_object(), actor=request.user, rate=data.get("rate"), comment=data["comment"])
        return self._moved(moved)

    @extend_schema(request=s.ReasonSerializer)
    @action(detail=True, methods=["post"], permission="guarantees.review_guarantee")
    def reject(self, request, pk=None):
        body = s.ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._moved(services.reject(self.get_object(), actor=request.user, reason=body.validated_data["reason"]))

    @extend_schema(request=s.PaymentSerializer)
    @action(detail=True, methods=["post"], url_path="confirm-payment", permission="guarantees.review_guarantee")
    def confirm_payment(self, request, pk=None):
        body = s.PaymentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        moved = services.confirm_payment(
            self.get_object(), actor=request.user, reference=data["reference"], comment=data["comment"]
        )
        return self._moved(moved)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"], permission="guarantees.issue_guarantee")
    def issue(self, request, pk=None):
        return self._moved(services.issue(self.get_object(), actor=request.user))

    @extend_schema(request=s.ReasonSerializer)
    @action(detail=True, methods=["post"], permission="guarantees.unseal_guarantee")
    def unseal(self, request, pk=None):
        """解密通知 for a sealed guarantee (a trading centre opening bids, or the platform)."""
        body = s.ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._moved(
            services.unseal(self.get_object(), actor=request.user, comment=body.validated_data["reason"])
        )

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], permission="guarantees.view_guarantee")
    def document(self, request, pk=None):
        guarantee = self.get_object()
        if not guarantee.document:
            raise Http404("该保函尚未出具。")
        request._request.audit_sensitive = "下载保函"
        content = services.document_bytes(guarantee, user=request.user)
        return FileResponse(io.BytesIO(content), as_attachment=True, filename=f"{guarantee.number}.pdf")

    # ------------------------------------------------------------ amendment 保函变更

    @extend_schema(responses={200: s.AmendmentSerializer(many=True)})
    @action(detail=True, methods=["get"], permission="guarantees.view_guarantee")
    def amendments(self, request, pk=None):
        return Response(s.AmendmentSerializer(self.get_object().amendments.all(), many=True).data)

    @extend_schema(request=s.AmendmentRequestSerializer, responses={201: s.AmendmentSerializer})
    @action(detail=True, methods=["post"], url_path="amendments/request", permission="guarantees.change_guarantee")
    def request_amendment(self, request, pk=None):
        body = self._body(s.AmendmentRequestSerializer)
        made = services.request_amendment(self.get_object(), actor=request.user, **body)
        return Response(s.AmendmentSerializer(made).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.AmendmentDecisionSerializer, responses={200: s.AmendmentSerializer})
    @action(detail=True, methods=["post"], url_path="amendments/decide", permission="guarantees.review_guarantee")
    def decide_amendment(self, request, pk=None):
        body = self._body(s.AmendmentDecisionSerializer)
        amendment = services.open_amendment(self.get_object())
        return Response(s.AmendmentSerializer(services.decide_amendment(amendment, actor=request.user, **body)).data)

    @extend_schema(request=s.AmendmentAnswerSerializer, responses={200: s.AmendmentSerializer})
    @action(detail=True, methods=["post"], url_path="amendments/answer", permission="guarantees.accept_amendment")
    def answer_amendment(self, request, pk=None):
        body = self._body(s.AmendmentAnswerSerializer)
        amendment = services.open_amendment(self.get_object())
        return Response(s.AmendmentSerializer(services.answer_amendment(amendment, actor=request.user, **body)).data)
