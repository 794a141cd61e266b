"""Operation log: every state-changing request, and every read a view marks as sensitive
(export, download, personal data) by setting request.audit_sensitive."""

import json
import logging
import time

from django.apps import apps
from django.contrib.messages import constants as message_constants
from django.db import connection, transaction

from . import batch
from .models import OperationLog

logger = logging.getLogger(__name__)
BATCH = batch.Batch(OperationLog)

MASK = "********"
MASKED_WORDS = ("password", "passwd", "secret", "token", "captcha", "otp", "signature", "private_key")
# Verification codes are secrets; business codes (credit_code, region_code, role code) are not
# and are what an auditor needs to read.
MASKED_CODE_KEYS = {"code", "sms_code", "verify_code", "verification_code", "auth_code", "mfa_code", "otp_code"}
SKIPPED_KEYS = {"csrfmiddlewaretoken"}
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def is_secret(key):
    key = str(key).lower()
    return key in MASKED_CODE_KEYS or any(word in key for word in MASKED_WORDS)


def _mask_value(value):
    if isinstance(value, dict):
        return mask_params(value)
    if isinstance(value, (list, tuple)):
        return [_mask_value(v) for v in value]
    if isinstance(value, str):
        return clean_text(value[:500] + "…" if len(value) > 500 else value)
    return value


def clean_text(value):
    """PostgreSQL stores no NUL character in text or jsonb; a request carrying one must
    still be logged, with the character shown, not dropped with the whole row."""
    return value.replace("\x00", "\\u0000") if "\x00" in value else value


def mask_params(params):
    masked = {}
    for key, value in params.items():
        if key in SKIPPED_KEYS:
            continue
        masked[clean_text(str(key))] = MASK if is_secret(key) else _mask_value(value)
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
    if match is None:
        return "其他"
    namespaces = [n for n in match.app_names if n != "api"]
    if namespaces:
        try:
            return str(apps.get_app_config(namespaces[0]).verbose_name)
        except LookupError:
            pass
    # API routes share the "api" namespace: the module is the app that defines the view.
    view_module = getattr(getattr(match.func, "cls", None), "__module__", None) or match.func.__module__
    config = apps.get_containing_app_config(view_module or "")
    if config is not None:
        return str(config.verbose_name)
    return namespaces[0] if namespaces else (match.app_names[0] if match.app_names else "其他")


def _failed(request, response):
    """A request failed if it answered an error status, or if the view said so without one:
    a form shown again with its errors (200), or an error message before a redirect (the
    ObjectActionView way of reporting a refused action)."""
    if response.status_code >= 400 or getattr(request, "audit_failed", False):
        return True
    storage = getattr(request, "_messages", None)
    queued = getattr(storage, "_queued_messages", ())  # messages added during this request
    return any(m.level >= message_constants.ERROR for m in queued)


class OperationLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.monotonic()
        params = None
        if request.method in WRITE_METHODS:
            # Read the body before the view does; a stream cannot be read twice.
            params = request_params(request)
            # Who asked, even when the view logs them out (logout, a refused locked account).
            user = getattr(request, "user", None)
            request.audit_user_before = user if getattr(user, "is_authenticated", False) else None
        response = self.get_response(request)
        sensitive = getattr(request, "audit_sensitive", None)
        if request.method in WRITE_METHODS or sensitive:
            params = params if params is not None else request_params(request)
            try:
                row = self.row(request, response, started, params, sensitive)
                if getattr(request, "audit_batched", False) and batch.enabled():
                    BATCH.add(row)  # a public read: written with others (batch.py)
                elif connection.in_atomic_block:  # a savepoint: a failed row never aborts the caller's transaction
                    with transaction.atomic():
                        row.save()
                else:  # autocommit: one INSERT, which aborts nothing if it fails (BEGIN/COMMIT cost two trips more)
                    row.save()
            except Exception:  # the log must never turn a good answer into an error
                logger.exception("operation log not written for %s", request.path)
        return response

    def process_template_response(self, request, response):
        # A form view that answers a POST with its form again is saying the input was refused.
        if request.method in WRITE_METHODS:
            for value in (response.context_data or {}).values():
                if _is_bound_form_with_errors(value):
                    request.audit_failed = True
                    break
        return response

    def row(self, request, response, started, params, sensitive):
        """The request's OperationLog row, not yet saved."""
        user = getattr(request, "user", None)
        user = user if getattr(user, "is_authenticated", False) else getattr(request, "audit_user_before", None)
        match = request.resolver_match
        action = getattr(request, "audit_action", None) or (match.url_name if match else request.method)
        if sensitive and not getattr(request, "audit_action", None):
            action = f"{sensitive}:{action}"
        obj = getattr(request, "audit_object", None)
        ctx = getattr(request, "action_context", None)
        return OperationLog(
            user=user,
            user_name=user.username if user else (getattr(request, "audit_username", "") or "匿名"),
            organization_id=getattr(user, "organization_id", None),
            ip=ctx.ip if ctx else request.META.get("REMOTE_ADDR"),
            request_id=getattr(request, "request_id", ""),
            method=request.method,
            path=clean_text(request.path[:500]),
            module=module_label(request)[:50],
            action=str(action)[:100],
            object_repr=str(obj)[:200] if obj is not None else "",
            result=OperationLog.Result.FAILURE if _failed(request, response) else OperationLog.Result.SUCCESS,
            status_code=response.status_code,
            duration_ms=int((time.monotonic() - started) * 1000),
            params=params,
            user_agent=clean_text(request.headers.get("User-Agent", "")[:400]),
        )


def _is_bound_form_with_errors(value):
    """A bound form (or formset) the view validated and found wanting. `_errors` rather than
    `errors`: reading `errors` would validate a form the view never checked."""
    if not getattr(value, "is_bound", False):
        return False
    errors = getattr(value, "_errors", None)
    if errors is None:
        return False
    non_form = getattr(value, "_non_form_errors", None)  # formsets
    return any(errors) if isinstance(errors, list) else bool(errors) or bool(non_form)
