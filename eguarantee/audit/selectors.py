"""Audit records: platform staff with the right role see all; nobody else sees any."""

from .models import LoginLog, ObjectChange, OperationLog


def _scoped(queryset, user):
    return queryset if user.is_platform else queryset.none()


def object_changes_for(user):
    return _scoped(ObjectChange.objects.select_related("content_type"), user)


def operation_logs_for(user):
    return _scoped(OperationLog.objects.all(), user)


def login_logs_for(user):
    return _scoped(LoginLog.objects.all(), user)
