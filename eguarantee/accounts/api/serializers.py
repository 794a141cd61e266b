from rest_framework import serializers

from ..models import Organization, Role, User


class OrganizationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = [
            "id",
            "name",
            "credit_code",
            "org_type",
            "region_code",
            "address",
            "legal_representative",
            "basic_account_bank",
            "basic_account_number",
            "contact_name",
            "contact_phone",
            "contact_email",
            "status",
            "review_comment",
            "reviewed_at",
            "created_at",
        ]
        read_only_fields = ["status", "review_comment", "reviewed_at", "created_at"]
        extra_kwargs = {"credit_code": {"validators": []}}


class RejectSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class UserSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()
    organization_name = serializers.CharField(source="organization.name", read_only=True)

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "full_name",
            "organization",
            "organization_name",
            "mobile",
            "email",
            "status",
            "must_change_password",
            "last_login",
            "last_login_ip",
            "roles",
        ]
        read_only_fields = ["status", "must_change_password", "last_login", "last_login_ip"]
        extra_kwargs = {"username": {"validators": []}, "mobile": {"validators": []}}

    def get_roles(self, obj) -> list[str]:
        return [g.role.code for g in obj.groups.all() if hasattr(g, "role")]


class UserCreateSerializer(UserSerializer):
    password = serializers.CharField(write_only=True, style={"input_type": "password"})
    role_codes = serializers.ListField(child=serializers.CharField(), write_only=True, required=False)

    class Meta(UserSerializer.Meta):
        fields = [*UserSerializer.Meta.fields, "password", "role_codes"]
        # Every account belongs to an organization, although the column allows the
        # platform's bootstrap account to be created before its organization.
        extra_kwargs = {**UserSerializer.Meta.extra_kwargs, "organization": {"required": True, "allow_null": False}}


class RoleAssignSerializer(serializers.Serializer):
    role_codes = serializers.ListField(child=serializers.CharField())


class RoleSerializer(serializers.ModelSerializer):
    permissions = serializers.ListField(child=serializers.CharField(), required=False, write_only=True)

    class Meta:
        model = Role
        fields = ["id", "name", "code", "org_type", "enabled", "builtin", "description", "permissions"]
        read_only_fields = ["builtin"]
        extra_kwargs = {"name": {"validators": []}, "code": {"validators": []}}

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["permissions"] = sorted(
            f"{a}.{c}" for a, c in instance.permissions.values_list("content_type__app_label", "codename")
        )
        return data
