from rest_framework import serializers

from eguarantee.accounts.choices import OrgType
from eguarantee.accounts.models import Organization
from eguarantee.catalog.models import GuaranteeType
from eguarantee.projects.models import Section

from ..models import Amendment, Guarantee, Inspection
from ..tables import query_text


class InspectRequestSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    code = serializers.CharField(max_length=16, required=False, allow_blank=True, default="")
    project = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    applicant = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class InspectedGuaranteeSerializer(serializers.ModelSerializer):
    guarantee_type = serializers.CharField(source="guarantee_type.name")
    applicant = serializers.CharField(source="applicant.name")
    guarantor = serializers.CharField(source="guarantor.name", default=None)
    project = serializers.CharField(source="project.name", default=None)
    in_force = serializers.BooleanField()

    class Meta:
        model = Guarantee
        fields = [
            "number",
            "guarantee_type",
            "status",
            "in_force",
            "applicant",
            "guarantor",
            "beneficiary_name",
            "project",
            "amount",
            "start_date",
            "end_date",
            "issued_at",
        ]


class InspectionSerializer(serializers.ModelSerializer):
    inspector = serializers.CharField(source="inspector.username")
    organization = serializers.CharField(source="organization.name", default=None)
    guarantee_number = serializers.CharField(source="guarantee.number", default=None)
    query = serializers.SerializerMethodField()

    class Meta:
        model = Inspection
        fields = ["id", "created_at", "inspector", "organization", "query", "result", "guarantee_number", "status_seen"]

    def get_query(self, obj) -> str:
        return query_text(obj)


class InspectResponseSerializer(serializers.Serializer):
    result = serializers.CharField()
    result_label = serializers.CharField()
    inspection = InspectionSerializer()
    guarantees = InspectedGuaranteeSerializer(many=True)


class GuaranteeSerializer(serializers.ModelSerializer):
    guarantee_type = serializers.SlugRelatedField(slug_field="code", read_only=True)
    applicant_name = serializers.CharField(source="applicant.name", read_only=True)
    guarantor_name = serializers.CharField(source="guarantor.name", read_only=True, default=None)
    project_number = serializers.CharField(source="project.number", read_only=True, default=None)
    section_number = serializers.CharField(source="section.number", read_only=True, default=None)

    class Meta:
        model = Guarantee
        fields = [
            "id",
            "order_number",
            "number",
            "guarantee_type",
            "status",
            "filing_status",
            "applicant",
            "applicant_name",
            "guarantor",
            "guarantor_name",
            "beneficiary_name",
            "beneficiary_credit_code",
            "project_number",
            "section_number",
            "amount",
            "outstanding_amount",
            "rate",
            "premium",
            "start_date",
            "end_date",
            "sealed",
            "fields",
            "issued_at",
            "document_sm3",
            "document_sha256",
            "created_at",
        ]
        read_only_fields = fields


class ApplicationSerializer(serializers.Serializer):
    guarantee_type = serializers.SlugRelatedField(
        slug_field="code", queryset=GuaranteeType.objects.filter(enabled=True)
    )
    guarantor = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.filter(org_type=OrgType.GUARANTOR))
    section = serializers.PrimaryKeyRelatedField(queryset=Section.objects.all(), required=False, allow_null=True)
    amount = serializers.DecimalField(max_digits=18, decimal_places=2)
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    beneficiary_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    beneficiary_credit_code = serializers.CharField(max_length=18, required=False, allow_blank=True, default="")
    sealed = serializers.BooleanField(required=False, default=False)
    fields = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False, default=dict)


class ApproveSerializer(serializers.Serializer):
    rate = serializers.DecimalField(max_digits=7, decimal_places=4, required=False, allow_null=True)
    comment = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class PaymentSerializer(serializers.Serializer):
    reference = serializers.CharField(max_length=100)
    comment = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class CommentSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class AmendmentRequestSerializer(serializers.Serializer):
    new_amount = serializers.DecimalField(max_digits=18, decimal_places=2, required=False, allow_null=True)
    new_end_date = serializers.DateField(required=False, allow_null=True)
    reason = serializers.CharField(max_length=500)


class AmendmentDecisionSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    comment = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    additional_premium = serializers.DecimalField(max_digits=18, decimal_places=2, required=False, allow_null=True)


class AmendmentAnswerSerializer(serializers.Serializer):
    accept = serializers.BooleanField()
    comment = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class AmendmentSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Amendment
        fields = [
            "id",
            "sequence",
            "status",
            "status_label",
            "old_amount",
            "new_amount",
            "old_end_date",
            "new_end_date",
            "reason",
            "additional_premium",
            "created_at",
        ]
        read_only_fields = fields
