"""The log query pages: the platform auditor reads them; the system administrator and
organizations' administrators do not (三权分立)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from eguarantee.audit.models import LoginLog, ObjectChange, OperationLog

pytestmark = pytest.mark.django_db

LISTS = ["audit:objectchange_list", "audit:operationlog_list", "audit:loginlog_list"]


def op(user_name, module, action, result, days_ago, **extra):
    return OperationLog(
        time=timezone.now() - timedelta(days=days_ago),
        user_name=user_name,
        method="POST",
        path=f"/{action}/",
        module=module,
        action=action,
        result=result,
        status_code=200 if result == "success" else 400,
        duration_ms=5,
        **extra,
    )


@pytest.fixture
def operations(db):
    OperationLog.objects.bulk_create(
        [
            op("alice", "账号与权限", "user_lock", "success", 1, params={"note": "甲"}),
            op("alice", "账号与权限", "login", "failure", 10),
            op("bob", "系统日志", "导出:objectchange_list", "success", 3),
            op("carol", "消息通知", "mark_read", "success", 40),
        ]
    )
    return {o.action: o for o in OperationLog.objects.all()}


def rows(response):
    return [getattr(r, "record", r) for r in response.context_data["table"].page.object_list]


@pytest.mark.parametrize("name", LISTS)
def test_auditor_sees_the_pages(demo_users, client_for, name):
    response = client_for("platform_auditor").get(reverse(name))
    assert response.status_code == 200
    assert "导出" in response.content.decode()


@pytest.mark.parametrize("role", ["platform_admin", "applicant_admin", "guarantor_reviewer"])
@pytest.mark.parametrize("name", LISTS)
def test_others_are_refused(demo_users, client_for, role, name, operations):
    client = client_for(role)
    assert client.get(reverse(name)).status_code == 403
    assert client.get(reverse(name), {"export": "xlsx"}).status_code == 403
    detail = name.replace("_list", "_detail")
    pk = {"objectchange": ObjectChange, "operationlog": OperationLog, "loginlog": LoginLog}[
        name.split(":")[1].split("_")[0]
    ].objects.values_list("pk", flat=True).first() or 1
    assert client.get(reverse(detail, args=[pk])).status_code == 403


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("audit:operationlog_list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_security_admin_reads_login_log_only(demo_users, client_for):
    client = client_for("platform_security")
    assert client.get(reverse("audit:loginlog_list")).status_code == 200
    assert client.get(reverse("audit:objectchange_list")).status_code == 403
    assert client.get(reverse("audit:operationlog_list")).status_code == 403


def test_menu_shows_logs_to_the_auditor_only(demo_users, client_for):
    auditor = client_for("platform_auditor").get(reverse("core:dashboard")).content.decode()
    admin = client_for("platform_admin").get(reverse("core:dashboard")).content.decode()
    assert "操作日志" in auditor and "数据变更日志" in auditor
    assert "操作日志" not in admin and "数据变更日志" not in admin


def test_operation_filters(demo_users, client_for, operations):
    client = client_for("platform_auditor")
    url = reverse("audit:operationlog_list")

    def actions(**params):
        return sorted(r.action for r in rows(client.get(url, params)))

    assert actions() == sorted(operations)
    assert actions(user_name="alice") == ["login", "user_lock"]
    assert actions(module="系统日志") == ["导出:objectchange_list"]
    assert actions(action="lock") == ["user_lock"]
    assert actions(result="failure") == ["login"]
    assert actions(result="success", user_name="alice") == ["user_lock"]
    start = (timezone.localtime() - timedelta(days=5)).strftime("%Y-%m-%d %H:%M:%S")
    end = (timezone.localtime() - timedelta(days=2)).strftime("%Y-%m-%d %H:%M:%S")
    assert actions(time_after=start) == ["user_lock", "导出:objectchange_list"]
    assert actions(time_after=start, time_before=end) == ["导出:objectchange_list"]
    # A filter value the form refuses shows nothing rather than everything.
    assert actions(result="maybe") == []


def test_operation_detail_shows_the_record(demo_users, client_for, operations):
    record = operations["user_lock"]
    response = client_for("platform_auditor").get(reverse("audit:operationlog_detail", args=[record.pk]))
    text = response.content.decode()
    assert response.status_code == 200
    assert "alice" in text and "user_lock" in text and "账号与权限" in text and "甲" in text


def test_change_list_filters_and_detail_diff(demo_users, client_for):
    client = client_for("platform_auditor")
    url = reverse("audit:objectchange_list")
    user = demo_users["applicant_operator"]
    listed = rows(client.get(url, {"object_type": "user", "object_id": str(user.pk)}))
    assert [r.object_id for r in listed] == [str(user.pk)]
    assert all(r.action == "create" for r in rows(client.get(url, {"action": "create"})))
    assert rows(client.get(url, {"action": "delete"})) == []
    assert rows(client.get(url, {"user_name": "nobody-by-this-name"})) == []

    change = ObjectChange.objects.create(
        action="update",
        content_type=listed[0].content_type,
        object_id=str(user.pk),
        object_repr=str(user),
        user_name="platform_admin",
        prechange_data={"status": "active", "password": "********", "email": ""},
        postchange_data={"status": "locked", "password": "********", "email": ""},
    )
    response = client.get(change.get_absolute_url())
    text = response.content.decode()
    assert response.status_code == 200
    assert "变更内容" in text and "status" in text and "locked" in text and "active" in text
    assert [f for f, _b, _a in response.context_data["object"].diff()] == ["status"]


def test_login_log_filters(demo_users, client_for):
    LoginLog.objects.bulk_create(
        [
            LoginLog(username="alice", success=True, reason="ok", ip="10.0.0.1"),
            LoginLog(username="alice", success=False, reason="wrong_password", ip="10.0.0.2"),
            LoginLog(username="bob", success=False, reason="unknown_user", ip="10.0.0.1"),
        ]
    )
    client = client_for("platform_auditor")
    url = reverse("audit:loginlog_list")
    assert len(rows(client.get(url))) == 3
    assert sorted(r.reason for r in rows(client.get(url, {"username": "alice"}))) == ["ok", "wrong_password"]
    assert sorted(r.username for r in rows(client.get(url, {"success": "false"}))) == ["alice", "bob"]
    assert sorted(r.username for r in rows(client.get(url, {"ip": "10.0.0.1"}))) == ["alice", "bob"]
    record = LoginLog.objects.get(reason="unknown_user")
    response = client.get(reverse("audit:loginlog_detail", args=[record.pk]))
    assert response.status_code == 200 and "unknown_user" in response.content.decode()


def test_api_filters(demo_users, api_for, operations):
    client = api_for("platform_auditor")
    body = client.get("/api/v1/audit/operations/", {"result": "failure"}).json()
    assert [r["action"] for r in body["results"]] == ["login"]
    body = client.get("/api/v1/audit/operations/", {"user_name": "bob"}).json()
    assert [r["module"] for r in body["results"]] == ["系统日志"]
