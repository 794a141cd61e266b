from rest_framework import serializers

from ..models import FeeRecord, LedgerLine


class LedgerLineSerializer(serializers.ModelSerializer):
    guarantee_type = serializers.SlugRelatedField(slug_field="code", read_only=True)
    guarantee_type_name = serializers.CharField(source="guarantee_type.name", read_only=True)
    applicant_name = serializers.CharField(source="applicant.name", read_only=True)
    guarantor_name = serializers.CharField(source="guarantor.name", read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True, default="")
    status = serializers.CharField(source="guarantee.status", read_only=True, help_text="保函状态")
    status_display = serializers.CharField(source="guarantee.get_status_display", read_only=True)
    closed_at = serializers.DateTimeField(source="guarantee.closed_at", read_only=True, allow_null=True)

    class Meta:
        model = LedgerLine
        fields = [
            "id",
            "guarantee",
            "number",
            "guarantee_type",
            "guarantee_type_name",
            "applicant",
            "applicant_name",
            "guarantor",
            "guarantor_name",
            "beneficiary_name",
            "project_name",
            "section_name",
            "department",
            "department_name",
            "amount",
            "rate",
            "premium",
            "start_date",
            "end_date",
            "issued_at",
            "status",
            "status_display",
            "closed_at",
        ]
        read_only_fields = fields


class LedgerTotalsSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    amount = serializers.DecimalField(max_digits=20, decimal_places=2, help_text="担保金额合计（元）")
    premium = serializers.DecimalField(max_digits=20, decimal_places=2, help_text="保费合计（元）")


class FeeRecordSerializer(serializers.ModelSerializer):
    guarantee_number = serializers.CharField(source="guarantee.number", read_only=True, default="")
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    payer_name = serializers.CharField(source="payer.name", read_only=True)
    payee_name = serializers.CharField(source="payee.name", read_only=True)

    class Meta:
        model = FeeRecord
        fields = [
            "id",
            "guarantee",
            "guarantee_number",
            "kind",
            "kind_display",
            "amount",
            "payer",
            "payer_name",
            "payee",
            "payee_name",
            "occurred_at",
            "reference",
        ]
        read_only_fields = fields
