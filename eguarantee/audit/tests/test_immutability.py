"""Audit records are append-only: not through the ORM, the API or any page."""

import pytest
from django.urls import NoReverseMatch, get_resolver, reverse

from eguarantee.audit.models import AuditRecordError, LoginLog, ObjectChange, OperationLog
from eguarantee.core.testing import assert_api_error

pytestmark = pytest.mark.django_db


def make_operation(**extra):
    return OperationLog.objects.create(
        method="POST",
        path="/x/",
        module="测试",
        action="x",
        result="success",
        status_code=200,
        duration_ms=1,
        **extra,
    )


def make_login(**extra):
    return LoginLog.objects.create(username="someone", success=False, reason="wrong_password", **extra)


@pytest.fixture
def records(demo_users):
    return {
        "change": ObjectChange.objects.filter(content_type__model="user").first(),
        "operation": make_operation(),
        "login": make_login(),
    }


@pytest.mark.parametrize("kind", ["change", "operation", "login"])
def test_existing_record_cannot_be_saved_or_deleted(records, kind):
    record = records[kind]
    model = type(record)
    original = model.objects.filter(pk=record.pk).values().get()
    record.user_name = "tampered"
    with pytest.raises(AuditRecordError):
        record.save()
    with pytest.raises(AuditRecordError):
        record.delete()
    with pytest.raises(AuditRecordError):
        model.objects.filter(pk=record.pk).update(user_name="tampered")
    with pytest.raises(AuditRecordError):
        model.objects.filter(pk=record.pk).delete()
    with pytest.raises(AuditRecordError):
        model.objects.all().delete()
    assert model.objects.filter(pk=record.pk).values().get() == original


def test_bulk_create_appends(db):
    OperationLog.objects.bulk_create(
        [OperationLog(method="GET", path="/", module="m", action="a", result="success", status_code=200, duration_ms=0)]
        * 3
    )
    assert OperationLog.objects.count() == 3


@pytest.mark.parametrize("prefix", ["changes", "operations", "logins"])
def test_api_is_read_only(records, api_for, prefix):
    kind = {"changes": "change", "operations": "operation", "logins": "login"}[prefix]
    pk = records[kind].pk
    auditor = api_for("platform_auditor")
    assert auditor.get(f"/api/v1/audit/{prefix}/").status_code == 200
    assert auditor.get(f"/api/v1/audit/{prefix}/{pk}/").status_code == 200
    assert_api_error(
        auditor.post(f"/api/v1/audit/{prefix}/", {"user_name": "x"}, format="json"), 405, "method_not_allowed"
    )
    for method in ("put", "patch", "delete"):
        response = getattr(auditor, method)(f"/api/v1/audit/{prefix}/{pk}/", {"user_name": "x"}, format="json")
        assert_api_error(response, 405, "method_not_allowed")
    # Everybody else: not even a read.
    admin = api_for("platform_admin")
    assert_api_error(admin.get(f"/api/v1/audit/{prefix}/"), 403, "permission_denied")
    assert_api_error(admin.delete(f"/api/v1/audit/{prefix}/{pk}/"), 405, "method_not_allowed")
    model = type(records[kind])
    assert model.objects.filter(pk=pk).exists()
    assert model.objects.get(pk=pk).user_name != "x"


def test_api_requires_login(client):
    response = client.get("/api/v1/audit/changes/")
    assert response.status_code in (401, 403)
    assert response.json()["error"]["code"] == "not_authenticated"


def test_no_edit_or_delete_urls_exist(records):
    audit_names = [n for n in get_resolver().namespace_dict["audit"][1].reverse_dict if isinstance(n, str)]
    assert sorted(audit_names) == sorted(
        [
            "objectchange_list",
            "objectchange_detail",
            "operationlog_list",
            "operationlog_detail",
            "loginlog_list",
            "loginlog_detail",
        ]
    )
    for verb in ("edit", "delete", "add", "update"):
        for model in ("objectchange", "operationlog", "loginlog"):
            with pytest.raises(NoReverseMatch):
                reverse(f"audit:{model}_{verb}", args=[1])


def test_pages_refuse_writes(records, client_for):
    client = client_for("platform_auditor")
    change = records["change"]
    for url in (reverse("audit:objectchange_list"), change.get_absolute_url()):
        response = client.post(url, {"bulk_action": "delete", "pk": [change.pk]})
        assert response.status_code in (302, 405)
    assert ObjectChange.objects.filter(pk=change.pk).exists()
