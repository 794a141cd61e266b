from rest_framework import serializers

from ..choices import DocumentType
from ..models import Project, ProjectDocument, ProjectParticipant, Section
from ..selectors import registered_beneficiaries


class SectionSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(required=False, help_text="已有标段的ID；新增标段不填。")
    project = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Section
        fields = ["id", "project", "number", "name", "bid_bond_amount"]
        # The service checks the numbers and amounts, with the platform's error codes.
        extra_kwargs = {"number": {"validators": []}, "bid_bond_amount": {"validators": []}}


class ParticipantSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)

    class Meta:
        model = ProjectParticipant
        fields = ["organization", "organization_name", "joined_at"]


class ProjectSerializer(serializers.ModelSerializer):
    """A project with its sections. On create `sections` is required; on PATCH, when given,
    it replaces the project's whole set (rows with an id are kept and updated)."""

    sections = SectionSerializer(many=True, required=False)
    participants = ParticipantSerializer(many=True, read_only=True)
    beneficiary = serializers.PrimaryKeyRelatedField(
        queryset=registered_beneficiaries(), allow_null=True, required=False, help_text="已注册受益人单位的ID"
    )
    invite_mobile = serializers.CharField(
        write_only=True, required=False, allow_blank=True, help_text="招标人未注册时，接收注册邀请短信的手机号"
    )
    region_name = serializers.CharField(read_only=True)
    created_by_name = serializers.CharField(source="created_by.name", read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True, default=None)
    is_locked = serializers.BooleanField(read_only=True)

    class Meta:
        model = Project
        fields = [
            "id",
            "number",
            "name",
            "project_type",
            "region_code",
            "region_name",
            "beneficiary",
            "beneficiary_name",
            "beneficiary_credit_code",
            "invite_mobile",
            "total_investment",
            "contract_estimate",
            "bid_opening_at",
            "bid_validity_days",
            "tender_announced_at",
            "source",
            "external_id",
            "created_by",
            "created_by_name",
            "department",
            "department_name",
            "is_locked",
            "locked_at",
            "sections",
            "participants",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "source",
            "external_id",
            "created_by",
            "department",
            "locked_at",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {
            # Uniqueness, region and amounts are the service's rules, answered with their own
            # codes (project_exists → 409, unknown_region_code, invalid_amount).
            "number": {"validators": []},
            "region_code": {"validators": []},
            "beneficiary_name": {"required": False, "allow_blank": True},
            "beneficiary_credit_code": {"required": False, "allow_blank": True, "validators": []},
            "total_investment": {"validators": []},
            "contract_estimate": {"validators": []},
        }


class JoinResultSerializer(serializers.Serializer):
    joined = serializers.BooleanField(help_text="本次是否新加入（已是参与单位时为 false）")
    project = ProjectSerializer()


class DocumentSerializer(serializers.ModelSerializer):
    project_number = serializers.CharField(source="project.number", read_only=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True)

    class Meta:
        model = ProjectDocument
        fields = [
            "id",
            "project",
            "project_number",
            "doc_type",
            "original_name",
            "size",
            "content_type",
            "sm3",
            "sha256",
            "note",
            "organization",
            "organization_name",
            "uploaded_by",
            "uploaded_at",
        ]
        read_only_fields = fields


class DocumentUploadSerializer(serializers.Serializer):
    project = serializers.IntegerField(help_text="工程项目ID")
    doc_type = serializers.ChoiceField(choices=DocumentType.choices)
    file = serializers.FileField(help_text="PDF、OFD、JPG、PNG、DOCX、XLSX，不超过20MB；按文件内容校验类型")
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)
