import django_tables2 as tables

from .models import LoginLog, ObjectChange, OperationLog

ATTRS = {"class": "table table-hover table-sm"}


class ObjectChangeTable(tables.Table):
    time = tables.DateTimeColumn(linkify=True, format="Y-m-d H:i:s")
    content_type = tables.Column(verbose_name="对象类型")

    class Meta:
        model = ObjectChange
        fields = ("time", "user_name", "action", "content_type", "object_repr", "ip", "request_id")
        attrs = ATTRS


class OperationLogTable(tables.Table):
    time = tables.DateTimeColumn(linkify=True, format="Y-m-d H:i:s")

    class Meta:
        model = OperationLog
        fields = ("time", "user_name", "module", "action", "object_repr", "result", "duration_ms", "ip")
        attrs = ATTRS


class LoginLogTable(tables.Table):
    time = tables.DateTimeColumn(linkify=True, format="Y-m-d H:i:s")

    class Meta:
        model = LoginLog
        fields = ("time", "username", "success", "message", "ip", "user_agent")
        attrs = ATTRS
