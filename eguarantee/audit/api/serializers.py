from rest_framework import serializers

from ..models import LoginLog, ObjectChange, OperationLog


class ObjectChangeSerializer(serializers.ModelSerializer):
    object_type = serializers.CharField(source="content_type.model", read_only=True)

    class Meta:
        model = ObjectChange
        fields = [
            "id",
            "time",
            "user",
            "user_name",
            "organization",
            "ip",
            "request_id",
            "action",
            "object_type",
            "object_id",
            "object_repr",
            "prechange_data",
            "postchange_data",
        ]


class OperationLogSerializer(serializers.ModelSerializer):
    class Meta:
        model = OperationLog
        fields = [
            "id",
            "time",
            "user",
            "user_name",
            "organization",
            "ip",
            "request_id",
            "method",
            "path",
            "module",
            "action",
            "object_repr",
            "result",
            "status_code",
            "duration_ms",
            "params",
            "user_agent",
        ]


class LoginLogSerializer(serializers.ModelSerializer):
    class Meta:
        model = LoginLog
        fields = [
            "id",
            "time",
            "user",
            "username",
            "organization",
            "ip",
            "request_id",
            "success",
            "reason",
            "message",
            "user_agent",
        ]
