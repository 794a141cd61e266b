"""The API's shared machinery: permission per action, scoped querysets, one error format.

Every error answers {"error": {"code": "...", "message": "...", "details": {...}}} with a
stable code, whatever raised it (DRF, Django, or a service).
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, viewsets
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .exceptions import ServiceError
from .scope import scoped_get


class ScopedViewSet(viewsets.GenericViewSet):
    """selector(user) decides what the caller may see; services do the writing."""

    model = None
    selector = None
    permission = None  # the permission an extra action needs, given as @action(permission=...)

    def get_queryset(self):
        return self.selector(self.request.user)

    def get_object(self):
        obj = scoped_get(self.filter_queryset(self.get_queryset()), self.kwargs[self.lookup_field])
        self.check_object_permissions(self.request, obj)
        return obj


class ReadOnlyScopedViewSet(viewsets.mixins.ListModelMixin, viewsets.mixins.RetrieveModelMixin, ScopedViewSet):
    pass


_DRF_CODES = {
    exceptions.NotAuthenticated: ("not_authenticated", "请先登录。"),
    exceptions.AuthenticationFailed: ("authentication_failed", "身份认证失败。"),
    exceptions.PermissionDenied: ("permission_denied", "没有权限执行此操作。"),
    exceptions.NotFound: ("not_found", "对象不存在或无权查看。"),
    exceptions.MethodNotAllowed: ("method_not_allowed", "不支持该请求方法。"),
    exceptions.Throttled: ("rate_limited", "请求过于频繁，请稍后再试。"),
    exceptions.ParseError: ("parse_error", "请求格式错误。"),
    exceptions.UnsupportedMediaType: ("unsupported_media_type", "不支持的内容类型。"),
    exceptions.ValidationError: ("validation_error", "提交的数据有误。"),
}


def error_body(code, message, details=None):
    return {"error": {"code": code, "message": message, "details": details or {}}}


def exception_handler(exc, context):
    if isinstance(exc, ServiceError):
        details = dict(exc.details)
        if exc.field:
            details.setdefault(exc.field, [exc.message])
        return Response(error_body(exc.code, exc.message, details), status=exc.status)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    code, message = next(
        ((c, m) for klass, (c, m) in _DRF_CODES.items() if isinstance(exc, klass)),
        ("error", "请求失败。"),
    )
    details = response.data if isinstance(exc, exceptions.ValidationError) else {}
    if not isinstance(details, dict):
        details = {"non_field_errors": details}
    custom_code = getattr(exc, "error_code", None)
    if custom_code:  # e.g. password_change_required, raised with its own message
        code, message = custom_code, str(exc.detail)
    response.data = error_body(code, message, details)
    return response
