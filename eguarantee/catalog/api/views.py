from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from eguarantee.core.api import ScopedViewSet

from .. import filtersets, selectors, services
from ..models import GuaranteeTemplate, GuaranteeType
from . import serializers as s


class GuaranteeTypeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """保函类型 (6.4.1). Types in use cannot be deleted, only disabled."""

    model = GuaranteeType
    queryset = GuaranteeType.objects.none()
    selector = staticmethod(selectors.types_for)
    serializer_class = s.GuaranteeTypeSerializer
    filterset_class = filtersets.GuaranteeTypeFilterSet
    ordering_fields = ["sort_order", "code", "name"]

    def create(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        created = services.save_type(actor=request.user, data=dict(serializer.validated_data))
        return Response(self.get_serializer(created).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        current = self.get_object()
        serializer = self.get_serializer(current, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        saved = services.save_type(actor=request.user, data=dict(serializer.validated_data), guarantee_type=current)
        return Response(self.get_serializer(saved).data)

    def destroy(self, request, pk=None):
        services.delete_type(self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"], permission="catalog.change_guaranteetype")
    def disable(self, request, pk=None):
        return Response(
            self.get_serializer(services.set_type_enabled(self.get_object(), actor=request.user, enabled=False)).data
        )

    @extend_schema(request=None)
    @action(detail=True, methods=["post"], permission="catalog.change_guaranteetype")
    def enable(self, request, pk=None):
        return Response(
            self.get_serializer(services.set_type_enabled(self.get_object(), actor=request.user, enabled=True)).data
        )


class GuaranteeTemplateViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """保函模板 (6.4.2): drafts are edited, published versions are frozen."""

    model = GuaranteeTemplate
    queryset = GuaranteeTemplate.objects.none()
    selector = staticmethod(selectors.templates_for)
    serializer_class = s.GuaranteeTemplateSerializer
    filterset_class = filtersets.GuaranteeTemplateFilterSet
    ordering_fields = ["name", "version", "updated_at"]

    def create(self, request):
        serializer = s.GuaranteeTemplateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        created = services.save_template(actor=request.user, data=dict(serializer.validated_data))
        return Response(s.GuaranteeTemplateSerializer(created).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.GuaranteeTemplateUpdateSerializer)
    def partial_update(self, request, pk=None):
        current = self.get_object()
        serializer = s.GuaranteeTemplateUpdateSerializer(current, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        saved = services.save_template(actor=request.user, data=dict(serializer.validated_data), template=current)
        return Response(s.GuaranteeTemplateSerializer(saved).data)

    def destroy(self, request, pk=None):
        services.delete_template(self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"], permission="catalog.publish_guaranteetemplate")
    def publish(self, request, pk=None):
        return Response(self.get_serializer(services.publish_template(self.get_object(), actor=request.user)).data)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"], permission="catalog.publish_guaranteetemplate")
    def retire(self, request, pk=None):
        return Response(self.get_serializer(services.retire_template(self.get_object(), actor=request.user)).data)

    @extend_schema(request=None, responses={201: s.GuaranteeTemplateSerializer})
    @action(detail=True, methods=["post"], url_path="new-version", permission="catalog.add_guaranteetemplate")
    def new_version(self, request, pk=None):
        draft = services.new_version(self.get_object(), actor=request.user)
        return Response(self.get_serializer(draft).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], permission="catalog.view_guaranteetemplate")
    def preview(self, request, pk=None):
        content = services.preview_pdf(self.get_object())
        return HttpResponse(content, content_type="application/pdf")

    @extend_schema(responses=s.PlaceholderSerializer(many=True))
    @action(detail=False, methods=["get"], permission="catalog.view_guaranteetemplate")
    def placeholders(self, request):
        return Response(s.PlaceholderSerializer.all())
