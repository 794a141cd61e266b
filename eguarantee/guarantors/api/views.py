from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from eguarantee.core.api import ScopedViewSet
from eguarantee.core.exceptions import ServiceError

from .. import filtersets, selectors, services
from ..models import Clause, GuarantorProfile, Offer, Qualification
from . import serializers as s


class CrudViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Create, partial update and delete call the module's services; reads go through the
    selector. `update_serializer_class` leaves out what is fixed once created."""

    update_serializer_class = None
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_serializer_class(self):
        if self.action == "partial_update" and self.update_serializer_class:
            return self.update_serializer_class
        return self.serializer_class

    def validated(self, instance=None):
        serializer = self.get_serializer(instance, data=self.request.data, partial=instance is not None)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def guarantor_of(self, data):
        """The guarantor named in the body, or the caller's own organization."""
        guarantor = data.pop("guarantor", None)
        if guarantor is None:
            user = self.request.user
            if user.organization_id and user.organization.org_type == "guarantor":
                return user.organization
            raise ServiceError("请指定保证人。", code="required", field="guarantor")
        return guarantor

    def respond(self, obj, code=status.HTTP_200_OK):
        return Response(self.serializer_class(obj, context=self.get_serializer_context()).data, status=code)


class GuarantorProfileViewSet(CrudViewSet):
    """保证人机构信息 (6.2.1)."""

    model = GuarantorProfile
    queryset = GuarantorProfile.objects.none()
    selector = staticmethod(selectors.profiles_for)
    serializer_class = s.ProfileSerializer
    update_serializer_class = s.ProfileUpdateSerializer
    filterset_class = filtersets.ProfileFilterSet
    ordering_fields = ["short_code", "created_at", "registered_capital"]

    def create(self, request):
        data = self.validated()
        organization = data.pop("organization")
        return self.respond(
            services.create_profile(actor=request.user, organization=organization, data=data), status.HTTP_201_CREATED
        )

    def partial_update(self, request, pk=None):
        profile = self.get_object()
        return self.respond(services.update_profile(profile, actor=request.user, data=self.validated(profile)))

    def destroy(self, request, pk=None):
        services.delete_profile(self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        parameters=[s.SelectableQuerySerializer],
        responses=s.SelectableGuarantorSerializer(many=True),
        description="可选保证人：机构已审批、机构信息已启用、至少一项有效资质；给出类型、地区、金额时，"
        "还须有覆盖该地区且额度足够的已启用业务信息。",
    )
    @action(detail=False, methods=["get"], permission="guarantors.view_guarantorprofile", pagination_class=None)
    def selectable(self, request):
        query = s.SelectableQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        visible = selectors.profiles_for(request.user).values("organization_id")
        orgs = selectors.selectable_guarantors(**query.validated_data).filter(pk__in=visible)
        return Response(s.SelectableGuarantorSerializer(orgs, many=True).data)


class QualificationViewSet(CrudViewSet):
    """保证人资质 (6.2.1). Create with multipart/form-data: the certificate is a file."""

    model = Qualification
    queryset = Qualification.objects.none()
    selector = staticmethod(selectors.qualifications_for)
    serializer_class = s.QualificationSerializer
    update_serializer_class = s.QualificationUpdateSerializer
    filterset_class = filtersets.QualificationFilterSet
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    ordering_fields = ["valid_to", "valid_from", "created_at"]

    def create(self, request):
        data = self.validated()
        guarantor = self.guarantor_of(data)
        certificate = data.pop("certificate", None)
        qualification = services.add_qualification(
            actor=request.user, guarantor=guarantor, data=data, certificate=certificate
        )
        return self.respond(qualification, status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        qualification = self.get_object()
        data = self.validated(qualification)
        certificate = data.pop("certificate", None)
        return self.respond(
            services.update_qualification(qualification, actor=request.user, data=data, certificate=certificate)
        )

    def destroy(self, request, pk=None):
        services.delete_qualification(self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class OfferViewSet(CrudViewSet):
    """保证人业务信息 (6.2.2)."""

    model = Offer
    queryset = Offer.objects.none()
    selector = staticmethod(selectors.offers_for)
    serializer_class = s.OfferSerializer
    update_serializer_class = s.OfferUpdateSerializer
    filterset_class = filtersets.OfferFilterSet
    ordering_fields = ["rate_min", "max_single_amount", "turnaround_hours", "created_at"]

    def create(self, request):
        data = self.validated()
        guarantor = self.guarantor_of(data)
        guarantee_type = data.pop("guarantee_type")
        offer = services.create_offer(actor=request.user, guarantor=guarantor, guarantee_type=guarantee_type, data=data)
        return self.respond(offer, status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        offer = self.get_object()
        return self.respond(services.update_offer(offer, actor=request.user, data=self.validated(offer)))

    def destroy(self, request, pk=None):
        services.delete_offer(self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        parameters=[s.QuoteQuerySerializer],
        responses=s.QuoteSerializer,
        description="保费试算：担保金额 × 费率下限，不低于最低保费；超过单笔最高担保金额时报错。",
    )
    @action(detail=True, methods=["get"], permission="guarantors.view_offer")
    def quote(self, request, pk=None):
        offer = self.get_object()
        query = s.QuoteQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        amount = query.validated_data["amount"]
        premium = services.quote(offer, amount)
        return Response(s.QuoteSerializer({"amount": amount, "rate": offer.rate_min, "premium": premium}).data)


class ClauseViewSet(CrudViewSet):
    """保证人业务条款 (6.2.3). PATCH on a published version publishes a new version and
    answers 201 with it; the old version is left as it was, apart from its end date."""

    model = Clause
    queryset = Clause.objects.none()
    selector = staticmethod(selectors.clauses_for)
    serializer_class = s.ClauseSerializer
    update_serializer_class = s.ClauseUpdateSerializer
    filterset_class = filtersets.ClauseFilterSet
    ordering_fields = ["version", "effective_from", "created_at"]

    def create(self, request):
        data = self.validated()
        guarantor = self.guarantor_of(data)
        guarantee_type = data.pop("guarantee_type")
        clause = services.create_clause(
            actor=request.user, guarantor=guarantor, guarantee_type=guarantee_type, data=data
        )
        return self.respond(clause, status.HTTP_201_CREATED)

    @extend_schema(responses={200: s.ClauseSerializer, 201: s.ClauseSerializer})
    def partial_update(self, request, pk=None):
        clause = self.get_object()
        result = services.update_clause(clause, actor=request.user, data=self.validated(clause))
        return self.respond(result, status.HTTP_201_CREATED if result.pk != clause.pk else status.HTTP_200_OK)

    def destroy(self, request, pk=None):
        services.delete_clause(self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request=None, responses={200: s.ClauseSerializer, 409: OpenApiResponse(description="clause_not_draft")}
    )
    @action(detail=True, methods=["post"], permission="guarantors.publish_clause")
    def publish(self, request, pk=None):
        return self.respond(services.publish_clause(self.get_object(), actor=request.user))
