from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from eguarantee.accounts.models import Organization
from eguarantee.core import regions
from eguarantee.projects.choices import ProjectType

from ..models import DepartmentProfile, JurisdictionRule, level_label, level_of
from ..services import DUTIES_MAX


def _profile(org):
    try:
        return org.department_profile
    except DepartmentProfile.DoesNotExist:
        return None


class DepartmentSerializer(serializers.ModelSerializer):
    """A department organization with its profile (profile fields empty until it exists)."""

    region_name = serializers.SerializerMethodField()
    level = serializers.SerializerMethodField()
    level_label = serializers.SerializerMethodField()
    has_profile = serializers.SerializerMethodField()
    parent = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(), allow_null=True, required=False, source="department_profile.parent"
    )
    parent_name = serializers.SerializerMethodField()
    duties = serializers.CharField(
        required=False, allow_blank=True, max_length=DUTIES_MAX, source="department_profile.duties"
    )
    contact_name = serializers.CharField(
        required=False, allow_blank=True, max_length=50, source="department_profile.contact_name"
    )
    contact_phone = serializers.CharField(
        required=False, allow_blank=True, max_length=20, source="department_profile.contact_phone"
    )
    contact_email = serializers.EmailField(required=False, allow_blank=True, source="department_profile.contact_email")
    office_address = serializers.CharField(
        required=False, allow_blank=True, max_length=300, source="department_profile.office_address"
    )

    class Meta:
        model = Organization
        fields = [
            "id",
            "name",
            "credit_code",
            "region_code",
            "region_name",
            "level",
            "level_label",
            "has_profile",
            "parent",
            "parent_name",
            "duties",
            "contact_name",
            "contact_phone",
            "contact_email",
            "office_address",
        ]
        read_only_fields = ["name", "credit_code", "region_code"]

    def to_representation(self, instance):
        profile = _profile(instance)
        data = {
            "id": instance.pk,
            "name": instance.name,
            "credit_code": instance.credit_code,
            "region_code": instance.region_code,
            "region_name": self.get_region_name(instance),
            "level": self.get_level(instance),
            "level_label": self.get_level_label(instance),
            "has_profile": profile is not None,
            "parent": profile.parent_id if profile else None,
            "parent_name": self.get_parent_name(instance),
        }
        for name in ("duties", "contact_name", "contact_phone", "contact_email", "office_address"):
            data[name] = getattr(profile, name) if profile else ""
        return data

    def get_region_name(self, obj) -> str:
        return regions.full_name(obj.region_code)

    def get_level(self, obj) -> str:
        return level_of(obj.region_code) or ""

    def get_level_label(self, obj) -> str:
        return level_label(obj.region_code)

    def get_has_profile(self, obj) -> bool:
        return _profile(obj) is not None

    def get_parent_name(self, obj) -> str | None:
        profile = _profile(obj)
        return profile.parent.name if profile and profile.parent_id else None

    def profile_data(self):
        return dict(self.validated_data.get("department_profile", {}))


class RuleSerializer(serializers.ModelSerializer):
    department = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.all())
    department_name = serializers.CharField(source="department.name", read_only=True)
    project_type_label = serializers.CharField(source="get_project_type_display", read_only=True)
    region_name = serializers.CharField(read_only=True)
    level_label = serializers.CharField(read_only=True)
    # Checked by the service, which answers with the stable codes (invalid_region_code, …).
    region_code = serializers.CharField(max_length=20)
    project_type = serializers.CharField(max_length=40)

    class Meta:
        model = JurisdictionRule
        fields = [
            "id",
            "project_type",
            "project_type_label",
            "region_code",
            "region_name",
            "level_label",
            "department",
            "department_name",
            "enabled",
            "note",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        validators = []  # the service checks conflicts and answers rule_conflict


class BriefRuleSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    region_code = serializers.CharField()
    department = serializers.IntegerField(source="department_id")
    department_name = serializers.CharField(source="department.name")
    enabled = serializers.BooleanField()


class CandidateSerializer(serializers.Serializer):
    region_code = serializers.CharField()
    region_name = serializers.CharField()
    level_label = serializers.CharField()
    rule = BriefRuleSerializer(allow_null=True)
    disabled_rules = BriefRuleSerializer(many=True)
    chosen = serializers.BooleanField()


class ResolutionSerializer(serializers.Serializer):
    project_type = serializers.ChoiceField(choices=ProjectType.choices)
    project_type_label = serializers.CharField()
    region_code = serializers.CharField()
    region_name = serializers.CharField()
    department = serializers.SerializerMethodField()
    rule = BriefRuleSerializer(allow_null=True)
    candidates = CandidateSerializer(many=True)

    @extend_schema_field(
        {
            "type": "object",
            "nullable": True,
            "properties": {"id": {"type": "integer"}, "name": {"type": "string"}, "region_code": {"type": "string"}},
        }
    )
    def get_department(self, obj):
        department = obj.department
        if department is None:
            return None
        return {"id": department.pk, "name": department.name, "region_code": department.region_code}
