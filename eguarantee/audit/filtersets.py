import django_filters
from django import forms

from .models import LoginLog, ObjectChange, OperationLog


class IPAddressFilter(django_filters.Filter):
    """An address that is not one is a form error, not a database error (PostgreSQL inet)."""

    field_class = forms.GenericIPAddressField


class AuditFilterSet(django_filters.FilterSet):
    time_after = django_filters.DateTimeFilter(label="开始时间", field_name="time", lookup_expr="gte")
    time_before = django_filters.DateTimeFilter(label="结束时间", field_name="time", lookup_expr="lte")
    user_name = django_filters.CharFilter(label="用户", lookup_expr="icontains")
    organization = django_filters.NumberFilter(label="单位ID", field_name="organization_id")


class ObjectChangeFilterSet(AuditFilterSet):
    action = django_filters.ChoiceFilter(label="操作", choices=ObjectChange.Action.choices)
    object_type = django_filters.CharFilter(label="对象类型", field_name="content_type__model")
    object_id = django_filters.CharFilter(label="对象ID")
    request_id = django_filters.CharFilter(label="请求编号")

    class Meta:
        model = ObjectChange
        fields = [
            "time_after",
            "time_before",
            "user_name",
            "organization",
            "action",
            "object_type",
            "object_id",
            "request_id",
        ]


class OperationLogFilterSet(AuditFilterSet):
    module = django_filters.CharFilter(label="模块", lookup_expr="icontains")
    action = django_filters.CharFilter(label="操作", lookup_expr="icontains")
    result = django_filters.ChoiceFilter(label="结果", choices=OperationLog.Result.choices)

    class Meta:
        model = OperationLog
        fields = ["time_after", "time_before", "user_name", "organization", "module", "action", "result"]


class LoginLogFilterSet(AuditFilterSet):
    username = django_filters.CharFilter(label="登录名", lookup_expr="icontains")
    success = django_filters.BooleanFilter(label="成功")
    ip = IPAddressFilter(label="IP地址")

    class Meta:
        model = LoginLog
        fields = ["time_after", "time_before", "username", "organization", "success", "ip"]
