from rest_framework import serializers

from ..models import Guarantee, Inspection
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
