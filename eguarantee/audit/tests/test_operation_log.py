"""The operation log: every state-changing request, and every read marked sensitive."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from eguarantee.accounts.demo import DEMO_PASSWORD
from eguarantee.accounts.models import User
from eguarantee.audit.middleware import mask_params
from eguarantee.audit.models import ObjectChange, OperationLog

pytestmark = pytest.mark.django_db

MASK = "********"


def only_log(**filters):
    return OperationLog.objects.filter(**filters).get()


def test_successful_login_post_is_logged_with_password_masked(demo_users):
    client = Client(HTTP_USER_AGENT="pytest-browser", REMOTE_ADDR="10.0.0.8")
    response = client.post(
        reverse("accounts:login"),
        {"username": "applicant_admin", "password": DEMO_PASSWORD},
        HTTP_X_REQUEST_ID="req-login-00000001",
    )
    assert response.status_code == 302
    log = only_log(path="/accounts/login/")
    assert log.method == "POST"
    assert log.module == "账号与权限" and log.action == "login"
    assert log.result == OperationLog.Result.SUCCESS and log.status_code == 302
    assert log.user == demo_users["applicant_admin"] and log.user_name == "applicant_admin"
    assert log.organization_id == demo_users["applicant_admin"].organization_id
    assert log.ip == "10.0.0.8" and log.user_agent == "pytest-browser"
    assert log.request_id == "req-login-00000001" == response["X-Request-ID"]
    assert log.duration_ms >= 0
    assert log.params == {"username": "applicant_admin", "password": MASK}
    assert DEMO_PASSWORD not in json.dumps(OperationLog.objects.values_list("params", flat=True)[0:100][0])


def test_failed_login_is_logged_as_failure(demo_users):
    response = Client().post(reverse("accounts:login"), {"username": "applicant_admin", "password": "wrong-Pass1"})
    assert response.status_code == 200  # the form again, with its error
    assert "用户名或密码错误" in response.content.decode()
    log = only_log(path="/accounts/login/")
    assert log.result == OperationLog.Result.FAILURE
    assert log.user is None and log.user_name == "applicant_admin"
    assert log.params["password"] == MASK


def test_lock_user_is_logged_with_its_object_change(demo_users, client_for):
    target = demo_users["applicant_operator"]
    response = client_for("platform_admin").post(
        reverse("accounts:user_lock", args=[target.pk]), HTTP_X_REQUEST_ID="req-lock-000000001"
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.status == "locked"
    log = only_log(path=f"/accounts/users/{target.pk}/lock/")
    assert log.action == "user_lock" and log.module == "账号与权限"
    assert log.result == OperationLog.Result.SUCCESS and log.user == demo_users["platform_admin"]
    change = ObjectChange.objects.get(request_id="req-lock-000000001")
    assert change.object_id == str(target.pk) and change.action == "update"
    assert change.user == demo_users["platform_admin"]
    assert change.prechange_data["status"] == "active" and change.postchange_data["status"] == "locked"


def test_refused_action_is_logged_as_failure(demo_users, client_for):
    admin = demo_users["platform_admin"]
    response = client_for("platform_admin").post(reverse("accounts:user_lock", args=[admin.pk]), follow=True)
    assert "不能锁定自己的账号" in response.content.decode()
    log = only_log(path=f"/accounts/users/{admin.pk}/lock/")
    assert log.result == OperationLog.Result.FAILURE
    assert User.objects.get(pk=admin.pk).status == "active"


def test_forbidden_post_is_logged_as_failure(demo_users, client_for):
    target = demo_users["guarantor_reviewer"]
    response = client_for("applicant_operator").post(reverse("accounts:user_lock", args=[target.pk]))
    assert response.status_code == 403
    log = only_log(path=f"/accounts/users/{target.pk}/lock/")
    assert log.result == OperationLog.Result.FAILURE and log.status_code == 403


def test_password_reset_code_and_passwords_are_masked(db):
    Client().post(
        reverse("accounts:password_reset"),
        {"mobile": "13900000001", "code": "123456", "password": "Secret@2026x", "password2": "Secret@2026x"},
    )
    log = only_log(path="/accounts/password/reset/")
    assert log.params == {"mobile": "13900000001", "code": MASK, "password": MASK, "password2": MASK}
    assert "csrfmiddlewaretoken" not in log.params


def test_mask_params_rules():
    masked = mask_params(
        {
            "old_password": "a",
            "sms_code": "1",
            "token": "t",
            "credit_code": "91350200MA00000000",
            "region_code": "350200",
            "nested": {"secret": "s", "name": "x"},
            "items": [{"password": "p", "name": "y"}],
            "long": "x" * 600,
        }
    )
    assert masked["old_password"] == masked["sms_code"] == masked["token"] == MASK
    # Business codes are what an auditor needs to read; only secrets are masked.
    assert masked["credit_code"] == "91350200MA00000000" and masked["region_code"] == "350200"
    assert masked["nested"] == {"secret": MASK, "name": "x"}
    assert masked["items"] == [{"password": MASK, "name": "y"}]
    assert len(masked["long"]) == 501


def test_export_is_logged_as_a_sensitive_read(demo_users, client_for):
    client = client_for("platform_auditor")
    response = client.get(reverse("audit:objectchange_list"), {"export": "xlsx", "action": "create"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    b"".join(response.streaming_content)
    log = only_log(path="/audit/changes/")
    assert log.method == "GET" and log.module == "系统日志"
    assert log.action == "导出:objectchange_list"
    assert log.result == OperationLog.Result.SUCCESS and log.user == demo_users["platform_auditor"]
    assert log.params == {"export": "xlsx", "action": "create"}


def test_plain_list_and_detail_reads_are_not_logged(demo_users, client_for):
    client = client_for("platform_auditor")
    assert client.get(reverse("audit:objectchange_list")).status_code == 200
    assert client.get(reverse("audit:operationlog_list"), {"result": "success"}).status_code == 200
    change = ObjectChange.objects.first()
    assert client.get(change.get_absolute_url()).status_code == 200
    assert not OperationLog.objects.exists()


def test_api_json_body_is_logged_masked(demo_users, api_for):
    client = api_for("platform_admin")
    client.post("/api/v1/audit/changes/", {"password": "x", "note": "n"}, format="json")
    log = only_log(path="/api/v1/audit/changes/")
    assert log.method == "POST" and log.status_code == 405 and log.result == OperationLog.Result.FAILURE
    assert log.params == {"password": MASK, "note": "n"}
    assert log.module == "系统日志"


def test_logout_is_logged_under_the_user_who_left(demo_users, client_for):
    client = client_for("applicant_operator")
    assert client.post(reverse("accounts:logout")).status_code == 302
    log = only_log(path="/accounts/logout/")
    assert log.action == "logout" and log.user == demo_users["applicant_operator"]
    assert log.user_name == "applicant_operator"


def test_a_nul_character_in_the_request_is_logged_not_lost(api_for):
    before = OperationLog.objects.count()
    response = api_for("platform_security").post("/api/v1/roles/", {"name": "坏\x00名", "code\x00": "x"}, format="json")
    assert response.status_code == 400
    entry = OperationLog.objects.order_by("-id").first()
    assert OperationLog.objects.count() == before + 1
    assert entry.params["name"] == "坏\\u0000名"
    assert "code\\u0000" in entry.params
