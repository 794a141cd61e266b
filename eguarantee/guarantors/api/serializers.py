from django.urls import reverse
from rest_framework import serializers

from eguarantee.accounts.models import Organization
from eguarantee.catalog.models import GuaranteeType

from ..models import Clause, GuarantorProfile, Offer, Qualification


def _guarantors():
    return Organization.objects.filter(org_type="guarantor")


class ProfileSerializer(serializers.ModelSerializer):
    organization = serializers.PrimaryKeyRelatedField(queryset=_guarantors())
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    credit_code = serializers.CharField(source="organization.credit_code", read_only=True)
    institution_type_display = serializers.CharField(source="get_institution_type_display", read_only=True)
    registered_capital = serializers.DecimalField(max_digits=18, decimal_places=2, help_text="元")

    class Meta:
        model = GuarantorProfile
        fields = [
            "id",
            "organization",
            "organization_name",
            "credit_code",
            "institution_type",
            "institution_type_display",
            "registered_capital",
            "credit_rating",
            "rating_agency",
            "rating_date",
            "legal_representative",
            "service_hotline",
            "short_code",
            "introduction",
            "enabled",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        extra_kwargs = {"short_code": {"validators": []}}


class ProfileUpdateSerializer(ProfileSerializer):
    organization = serializers.PrimaryKeyRelatedField(read_only=True)


class SelectableGuarantorSerializer(serializers.ModelSerializer):
    """A guarantor as the application form offers it."""

    profile = serializers.IntegerField(source="guarantor_profile.pk", read_only=True)
    short_code = serializers.CharField(source="guarantor_profile.short_code", read_only=True)
    institution_type = serializers.CharField(source="guarantor_profile.institution_type", read_only=True)
    credit_rating = serializers.CharField(source="guarantor_profile.credit_rating", read_only=True)
    service_hotline = serializers.CharField(source="guarantor_profile.service_hotline", read_only=True)

    class Meta:
        model = Organization
        fields = ["id", "name", "profile", "short_code", "institution_type", "credit_rating", "service_hotline"]


class SelectableQuerySerializer(serializers.Serializer):
    guarantee_type = serializers.SlugRelatedField(
        slug_field="code", queryset=GuaranteeType.objects.all(), required=False, help_text="保函类型编码，如 bid"
    )
    region_code = serializers.CharField(required=False, max_length=6, help_text="项目所在地6位行政区划代码")
    amount = serializers.DecimalField(required=False, max_digits=18, decimal_places=2, min_value=0)


class QualificationSerializer(serializers.ModelSerializer):
    guarantor = serializers.PrimaryKeyRelatedField(queryset=_guarantors(), required=False)
    guarantor_name = serializers.CharField(source="guarantor.name", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status = serializers.CharField(read_only=True)
    status_display = serializers.CharField(source="status_label", read_only=True)
    certificate = serializers.FileField(write_only=True, required=False)
    certificate_url = serializers.SerializerMethodField()

    class Meta:
        model = Qualification
        fields = [
            "id",
            "guarantor",
            "guarantor_name",
            "kind",
            "kind_display",
            "name",
            "licence_number",
            "issuing_body",
            "valid_from",
            "valid_to",
            "is_historical",
            "status",
            "status_display",
            "certificate",
            "certificate_url",
            "certificate_sha256",
            "certificate_sm3",
            "expiry_warned_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["certificate_sha256", "certificate_sm3", "expiry_warned_at", "created_at", "updated_at"]

    def get_certificate_url(self, obj) -> str:
        return reverse("guarantors:qualification_certificate", args=[obj.pk]) if obj.certificate else ""


class QualificationUpdateSerializer(QualificationSerializer):
    guarantor = serializers.PrimaryKeyRelatedField(read_only=True)


class OfferSerializer(serializers.ModelSerializer):
    guarantor = serializers.PrimaryKeyRelatedField(queryset=_guarantors(), required=False)
    guarantor_name = serializers.CharField(source="guarantor.name", read_only=True)
    guarantee_type = serializers.SlugRelatedField(slug_field="code", queryset=GuaranteeType.objects.all())
    guarantee_type_name = serializers.CharField(source="guarantee_type.name", read_only=True)
    regions = serializers.ListField(child=serializers.CharField(max_length=20), allow_empty=True)
    region_names = serializers.CharField(read_only=True)
    # Plain numbers here: the service judges signs and ranges and answers with its own codes.
    rate_min = serializers.DecimalField(max_digits=7, decimal_places=4, help_text="百分比，0.5000 表示 0.5%")
    rate_max = serializers.DecimalField(max_digits=7, decimal_places=4, help_text="百分比")
    min_premium = serializers.DecimalField(max_digits=18, decimal_places=2, help_text="元")
    max_single_amount = serializers.DecimalField(max_digits=18, decimal_places=2, help_text="元")
    total_capacity = serializers.DecimalField(max_digits=18, decimal_places=2, help_text="元")
    turnaround_hours = serializers.IntegerField(help_text="小时")

    class Meta:
        model = Offer
        fields = [
            "id",
            "guarantor",
            "guarantor_name",
            "guarantee_type",
            "guarantee_type_name",
            "regions",
            "region_names",
            "rate_min",
            "rate_max",
            "min_premium",
            "max_single_amount",
            "total_capacity",
            "turnaround_hours",
            "enabled",
            "note",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        validators = []


class OfferUpdateSerializer(OfferSerializer):
    guarantor = serializers.PrimaryKeyRelatedField(read_only=True)
    guarantee_type = serializers.SlugRelatedField(slug_field="code", read_only=True)


class QuoteQuerySerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=18, decimal_places=2, help_text="担保金额（元）")


class QuoteSerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=18, decimal_places=2)
    rate = serializers.DecimalField(max_digits=7, decimal_places=4, help_text="所用费率（%）：费率下限")
    premium = serializers.DecimalField(max_digits=18, decimal_places=2, help_text="保费（元），不低于最低保费")


class ClauseSerializer(serializers.ModelSerializer):
    guarantor = serializers.PrimaryKeyRelatedField(queryset=_guarantors(), required=False)
    guarantor_name = serializers.CharField(source="guarantor.name", read_only=True)
    guarantee_type = serializers.SlugRelatedField(slug_field="code", queryset=GuaranteeType.objects.all())
    in_force = serializers.BooleanField(read_only=True)

    class Meta:
        model = Clause
        fields = [
            "id",
            "guarantor",
            "guarantor_name",
            "guarantee_type",
            "title",
            "body",
            "version",
            "effective_from",
            "effective_to",
            "status",
            "in_force",
            "supersedes",
            "published_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["version", "status", "supersedes", "published_at", "created_at", "updated_at"]
        validators = []


class ClauseUpdateSerializer(ClauseSerializer):
    guarantor = serializers.PrimaryKeyRelatedField(read_only=True)
    guarantee_type = serializers.SlugRelatedField(slug_field="code", read_only=True)
