"""Operation log: every state-changing request, and every read a view marks as sensitive
(export, download, personal data) by setting request.audit_sensitive."""

import json
import logging
import time

from django.apps import apps

from .models import OperationLog

logger = logging.getLogger(__name__)

MASKED_KEYS = ("password", "passwd", "code", "secret", "token", "captcha", "otp")
SKIPPED_KEYS = {"csrfmiddlewaretoken"}
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def mask_params(params):
    masked = {}
    for key, value in params.items():
        if key in SKIPPED_KEYS:
            continue
        if any(word in key.lower() for word in MASKED_KEYS):
            masked[key] = "********"
        elif isinstance(value, dict):
            masked[key] = mask_params(value)
        elif isinstance(value, str) and len(value) > 500:
            masked[key] = value[:500] + "…"
        else:
            masked[key] = value
    return masked


def request_params(request):
    if request.method == "GET":
        data = {k: v if len(v) > 1 else v[0] for k, v in request.GET.lists()}
    elif request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except (ValueError, UnicodeDecodeError):
            data = {}
        if not isinstance(data, dict):
            data = {"body": data}
    else:
        data = {k: v if len(v) > 1 else v[0] for k, v in request.POST.lists()}
        data.update({k: f"[文件] {f.name}" for k, f in request.FILES.items()})
    return mask_params(data)


def module_label(request):
    match = request.resolver_match
    if match is None or not match.app_names:
        return "其他"
    namespace = match.app_names[0]
    if namespace == "api":
        namespace = match.app_names[1] if len(match.app_names) > 1 else "api"
    try:
        return str(apps.get_app_config(namespace).verbose_name)
    except LookupError:
        return namespace


class OperationLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.monotonic()
        params = None
        if request.method in WRITE_METHODS:
            # Read the body before the view does; a stream cannot be read twice.
            params = request_params(request)
        response = self.get_response(request)
        sensitive = getattr(request, "audit_sensitive", None)
        if request.method in WRITE_METHODS or sensitive:
            try:
                self.write(
                    request, response, started, params if params is not None else request_params(request), sensitive
                )
            except Exception:  # the log must never turn a good answer into an error
                logger.exception("operation log not written for %s", request.path)
        return response

    def write(self, request, response, started, params, sensitive):
        user = getattr(request, "user", None)
        user = user if getattr(user, "is_authenticated", False) else None
        match = request.resolver_match
        action = getattr(request, "audit_action", None) or (match.url_name if match else request.method)
        if sensitive and not getattr(request, "audit_action", None):
            action = f"{sensitive}:{action}"
        obj = getattr(request, "audit_object", None)
        ctx = getattr(request, "action_context", None)
        OperationLog.objects.create(
            user=user,
            user_name=user.username if user else (getattr(request, "audit_username", "") or "匿名"),
            organization_id=getattr(user, "organization_id", None),
            ip=ctx.ip if ctx else request.META.get("REMOTE_ADDR"),
            request_id=getattr(request, "request_id", ""),
            method=request.method,
            path=request.path[:500],
            module=module_label(request)[:50],
            action=str(action)[:100],
            object_repr=str(obj)[:200] if obj is not None else "",
            result=OperationLog.Result.SUCCESS if response.status_code < 400 else OperationLog.Result.FAILURE,
            status_code=response.status_code,
            duration_ms=int((time.monotonic() - started) * 1000),
            params=params,
            user_agent=request.headers.get("User-Agent", "")[:400],
        )
