"""Permission-matrix lines for the audit log: the auditor's; the security administrator
reads login logs too."""

from django.contrib.contenttypes.models import ContentType

from eguarantee.accounts.models import Organization
from eguarantee.audit.models import LoginLog, ObjectChange, OperationLog
from eguarantee.core.matrix import AUDITOR, SECURITY, Route, pk

NAMESPACES = {"audit"}


def login_log(o):
    return LoginLog.objects.create(username="someone", success=False, reason="invalid_credentials")


def operation_log(o):
    return OperationLog.objects.create(
        method="POST", path="/x/", module="测试", action="测试", result="success", status_code=200, duration_ms=1
    )


def object_change(o):
    return ObjectChange.objects.create(
        action="update",
        content_type=ContentType.objects.get_for_model(Organization),
        object_id=str(o.org.pk if o.org else 1),
        object_repr="测试",
    )


ROUTES = [
    Route("audit:objectchange_list", AUDITOR),
    Route("audit:objectchange_detail", AUDITOR, pk(object_change)),
    Route("audit:operationlog_list", AUDITOR),
    Route("audit:operationlog_detail", AUDITOR, pk(operation_log)),
    Route("audit:loginlog_list", AUDITOR | SECURITY),
    Route("audit:loginlog_detail", AUDITOR | SECURITY, pk(login_log)),
    Route("api:objectchange-list", AUDITOR),
    Route("api:objectchange-detail", AUDITOR, pk(object_change)),
    Route("api:operationlog-list", AUDITOR),
    Route("api:operationlog-detail", AUDITOR, pk(operation_log)),
    Route("api:loginlog-list", AUDITOR | SECURITY),
    Route("api:loginlog-detail", AUDITOR | SECURITY, pk(login_log)),
]
