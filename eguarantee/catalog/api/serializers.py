from rest_framework import serializers

from eguarantee.accounts.choices import OrgType
from eguarantee.accounts.models import Organization

from .. import placeholders
from ..choices import APPLICATION_FIELDS
from ..models import GuaranteeTemplate, GuaranteeType


class AttachmentSerializer(serializers.Serializer):
    key = serializers.CharField(max_length=50)
    label = serializers.CharField(max_length=50)


class GuaranteeTypeSerializer(serializers.ModelSerializer):
    application_fields = serializers.ListField(
        child=serializers.ChoiceField(choices=list(APPLICATION_FIELDS.items())), required=False
    )
    required_attachments = AttachmentSerializer(many=True, required=False)

    class Meta:
        model = GuaranteeType
        fields = [
            "id",
            "code",
            "name",
            "builtin",
            "enabled",
            "requires_tender",
            "application_fields",
            "required_attachments",
            "validity_rule",
            "validity_days",
            "sealed_allowed",
            "description",
            "sort_order",
            "updated_at",
        ]
        read_only_fields = ["builtin", "updated_at"]
        extra_kwargs = {"code": {"validators": []}, "name": {"validators": []}}  # the service checks


class GuaranteeTemplateSerializer(serializers.ModelSerializer):
    guarantee_type = serializers.PrimaryKeyRelatedField(queryset=GuaranteeType.objects.all())
    guarantor = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.filter(org_type=OrgType.GUARANTOR), required=False, allow_null=True
    )
    guarantee_type_name = serializers.CharField(source="guarantee_type.name", read_only=True)
    guarantor_name = serializers.CharField(source="guarantor.name", read_only=True, default="平台默认模板")

    class Meta:
        model = GuaranteeTemplate
        fields = [
            "id",
            "guarantee_type",
            "guarantee_type_name",
            "guarantor",
            "guarantor_name",
            "name",
            "version",
            "status",
            "title",
            "body",
            "published_at",
            "updated_at",
        ]
        read_only_fields = ["version", "status", "published_at", "updated_at"]
        validators = []  # the service numbers versions; DRF's unique-together check would demand them


class GuaranteeTemplateUpdateSerializer(serializers.ModelSerializer):
    """A draft's type and owner are fixed; its text is not."""

    class Meta:
        model = GuaranteeTemplate
        fields = ["name", "title", "body"]


class PlaceholderSerializer(serializers.Serializer):
    name = serializers.CharField()
    description = serializers.CharField()

    @staticmethod
    def all():
        return [{"name": k, "description": v} for k, v in placeholders.PLACEHOLDERS.items()]
