from eguarantee.core.api import ReadOnlyScopedViewSet

from .. import filtersets, selectors
from ..models import LoginLog, ObjectChange, OperationLog
from . import serializers as s


class ObjectChangeViewSet(ReadOnlyScopedViewSet):
    """Read-only: audit records cannot be created, edited or deleted through the API."""

    model = ObjectChange
    queryset = ObjectChange.objects.none()
    selector = staticmethod(selectors.object_changes_for)
    serializer_class = s.ObjectChangeSerializer
    filterset_class = filtersets.ObjectChangeFilterSet
    ordering_fields = ["time"]


class OperationLogViewSet(ReadOnlyScopedViewSet):
    model = OperationLog
    queryset = OperationLog.objects.none()
    selector = staticmethod(selectors.operation_logs_for)
    serializer_class = s.OperationLogSerializer
    filterset_class = filtersets.OperationLogFilterSet
    ordering_fields = ["time", "duration_ms"]


class LoginLogViewSet(ReadOnlyScopedViewSet):
    model = LoginLog
    queryset = LoginLog.objects.none()
    selector = staticmethod(selectors.login_logs_for)
    serializer_class = s.LoginLogSerializer
    filterset_class = filtersets.LoginLogFilterSet
    ordering_fields = ["time"]
