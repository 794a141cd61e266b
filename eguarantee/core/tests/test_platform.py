import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from eguarantee.core.models import WorkerHeartbeat
from eguarantee.core.testing import assert_api_error
from eguarantee.evidence.signing import KeyPair

ROOT = Path(__file__).resolve().parents[3]


def manage(*args, **env):
    # The environment of a production start: none of the test run's settings or switches.
    dropped = {"SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "TASKS_BACKEND"}
    full_env = {k: v for k, v in os.environ.items() if k not in dropped}
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.xdist_group("subprocess")
def test_production_refuses_to_start_on_the_development_secret_key():
    result = manage("check", DEBUG="0", ALLOWED_HOSTS="example.org")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.xdist_group("subprocess")
def test_deploy_check_is_clean_in_production_settings():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY="k9-Qz7#vLp2@wXr5!tYb8^mNc4&hJd6*sFg3(aE1)uIo0_PlKjHgFdSaZxCvBnM",
        ALLOWED_HOSTS="example.org",
        EVIDENCE_SIGNING_KEY=KeyPair.generate().to_hex(),
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.xdist_group("subprocess")
def test_deploy_check_wants_the_evidence_signing_key():
    result = manage(
        "check",
        "--deploy",
        DEBUG="0",
        SECRET_KEY="k9-Qz7#vLp2@wXr5!tYb8^mNc4&hJd6*sFg3(aE1)uIo0_PlKjHgFdSaZxCvBnM",
        ALLOWED_HOSTS="example.org",
        EVIDENCE_KEY_FILE="/nonexistent/log-sm2.key",
    )
    assert result.returncode != 0 and "evidence.E002" in result.stderr


@pytest.mark.xdist_group("subprocess")
def test_seed_demo_is_refused_without_debug():
    result = manage(
        "seed_demo",
        DEBUG="0",
        SECRET_KEY="k9-Qz7#vLp2@wXr5!tYb8^mNc4&hJd6*sFg3(aE1)uIo0_PlKjHgFdSaZxCvBnM",
        ALLOWED_HOSTS="example.org",
    )
    assert result.returncode != 0
    assert "DEBUG" in result.stderr


@pytest.mark.django_db
def test_readyz_reports_a_missing_worker_then_ready(client):
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "not_ready"
    assert body["checks"]["database"]["ok"] and body["checks"]["migrations"]["ok"] and body["checks"]["media"]["ok"]
    assert not body["checks"]["worker"]["ok"]

    WorkerHeartbeat.objects.create(worker_id="w1", beat_at=timezone.now())
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["status"] == "ready"


@pytest.mark.django_db
def test_readyz_counts_a_stale_heartbeat_as_not_ready(client):
    WorkerHeartbeat.objects.create(worker_id="w1", beat_at=timezone.now() - timedelta(minutes=10))
    response = client.get("/readyz")
    assert response.status_code == 503
    assert "ago" in response.json()["checks"]["worker"]["detail"]


def test_every_response_carries_a_request_id_and_security_headers(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="abcdef0123456789")
    assert response["X-Request-ID"] == "abcdef0123456789"
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_api_errors_share_one_shape(client, api_for):
    assert_api_error(client.get("/api/v1/users/"), 403, "not_authenticated")
    assert_api_error(api_for("platform_admin").get("/api/v1/users/999999/"), 404, "not_found")
    assert_api_error(api_for("applicant_operator").get("/api/v1/users/"), 403, "permission_denied")


@pytest.mark.django_db
def test_openapi_schema_and_local_swagger_ui(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    text = schema.content.decode()
    for route in ("/api/v1/organizations/", "/api/v1/users/", "/api/v1/roles/", "/api/v1/audit/logins/"):
        assert route in text
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert "/static/drf_spectacular_sidecar/" in docs.content.decode()  # no CDN


@pytest.mark.django_db
def test_portal_entries_that_are_not_built_say_so(client, client_for):
    assert client.get("/apply/").status_code == 302  # login first
    assert "正在建设中" in client_for("applicant_operator").get("/apply/").content.decode()


def test_a_background_task_gets_its_own_action_context_and_gives_the_callers_back():
    from eguarantee.core import context

    with context.acting_as(None, source="web", request_id="caller-request-0001") as caller:
        context.task_started(task_result=type("R", (), {"id": "task-0001"})())
        inside = context.current()
        assert inside.source == "task" and inside.request_id == "task-0001"
        context.task_finished()
        assert context.current() is caller


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "1.2.3.4", "10.0.0.1"),  # no proxy configured: the header is the client's word, ignored
        (1, "6.6.6.6, 1.2.3.4", "1.2.3.4"),  # one proxy: the hop it appended, not what the client wrote
        (2, "6.6.6.6, 1.2.3.4, 172.16.0.5", "1.2.3.4"),
        (1, "", "10.0.0.1"),
    ],
)
def test_client_ip_trusts_only_the_configured_proxies(settings, rf, proxies, forwarded, expected):
    from eguarantee.core.context import client_ip

    settings.TRUSTED_PROXIES = proxies
    request = rf.get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR="10.0.0.1")
    assert client_ip(request) == expected


@pytest.mark.django_db
def test_a_forged_forwarded_header_does_not_dodge_the_login_ip_limit(settings, client, demo_users):
    from django.test import Client

    settings.ACCOUNT_SECURITY = {**settings.ACCOUNT_SECURITY, "IP_FAILURES": 3}
    for i in range(3):
        Client(REMOTE_ADDR="10.2.2.2", HTTP_X_FORWARDED_FOR=f"9.9.9.{i}").post(
            "/accounts/login/", {"username": "nobody", "password": "x"}
        )
    response = Client(REMOTE_ADDR="10.2.2.2", HTTP_X_FORWARDED_FOR="8.8.8.8").post(
        "/accounts/login/", {"username": "nobody", "password": "x"}
    )
    assert "该IP登录失败次数过多" in response.content.decode()
