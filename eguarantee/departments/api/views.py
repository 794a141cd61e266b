from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from eguarantee.accounts.models import Organization
from eguarantee.core.api import ScopedViewSet

from .. import filtersets, selectors, services
from ..models import DepartmentProfile, JurisdictionRule
from . import serializers as s


class DepartmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Department organizations with their profiles. PATCH edits the profile (creating it
    the first time); the organization itself is edited under /organizations/."""

    model = DepartmentProfile  # permissions: departments.view/change_departmentprofile
    queryset = Organization.objects.none()  # schema only; requests use the selector
    selector = staticmethod(selectors.departments_for)
    serializer_class = s.DepartmentSerializer
    filterset_class = filtersets.DepartmentFilterSet
    ordering_fields = ["name", "region_code"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return selectors.department_organizations().none()
        if self.action == "partial_update":
            return selectors.managed_departments_for(self.request.user)
        return super().get_queryset()

    def partial_update(self, request, pk=None):
        organization = self.get_object()
        serializer = self.get_serializer(organization, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.update_profile(organization, actor=request.user, data=serializer.profile_data())
        organization = selectors.departments_for(request.user).get(pk=organization.pk)
        return Response(self.get_serializer(organization).data)


class RuleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    model = JurisdictionRule
    queryset = JurisdictionRule.objects.none()
    selector = staticmethod(selectors.rules_for)
    serializer_class = s.RuleSerializer
    filterset_class = filtersets.RuleFilterSet
    ordering_fields = ["project_type", "region_code", "updated_at"]

    def create(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rule = services.create_rule(actor=request.user, data=dict(serializer.validated_data))
        return Response(self.get_serializer(rule).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        rule = self.get_object()
        serializer = self.get_serializer(rule, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        rule = services.update_rule(rule, actor=request.user, data=dict(serializer.validated_data))
        return Response(self.get_serializer(rule).data)

    def destroy(self, request, pk=None):
        services.delete_rule(self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"], permission="departments.change_jurisdictionrule")
    def enable(self, request, pk=None):
        rule = services.set_rule_enabled(self.get_object(), actor=request.user, enabled=True)
        return Response(self.get_serializer(rule).data)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"], permission="departments.change_jurisdictionrule")
    def disable(self, request, pk=None):
        rule = services.set_rule_enabled(self.get_object(), actor=request.user, enabled=False)
        return Response(self.get_serializer(rule).data)

    @extend_schema(
        parameters=[
            OpenApiParameter("project_type", OpenApiTypes.STR, required=True, description="工程类型编码，如 municipal"),
            OpenApiParameter("region_code", OpenApiTypes.STR, required=True, description="6位行政区划代码，如 350203"),
        ],
        responses=s.ResolutionSerializer,
    )
    @action(
        detail=False,
        methods=["get"],
        permission="departments.view_jurisdictionrule",
        filterset_class=None,
        pagination_class=None,
    )
    def resolve(self, request):
        """Which department handles a project of this type in this region, by which rule,
        and what each level of the region chain has."""
        resolution = selectors.resolve(
            request.query_params.get("project_type"), request.query_params.get("region_code")
        )
        return Response(s.ResolutionSerializer(resolution).data)
