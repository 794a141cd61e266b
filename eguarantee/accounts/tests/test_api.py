"""/api/v1/organizations/, /api/v1/users/, /api/v1/roles/ and the error shape."""

import pytest
from rest_framework.test import APIClient

from eguarantee.accounts import services
from eguarantee.accounts.choices import OrgStatus, UserStatus
from eguarantee.accounts.models import Organization, Role, User
from eguarantee.core.testing import assert_api_error

from .helpers import PASSWORD
from .helpers import service_registration as reg

pytestmark = pytest.mark.django_db


def ids(response):
    return {row["id"] for row in response.json()["results"]}


def new_user(org, **overrides):
    body = {
        "organization": org.pk,
        "username": "apiuser",
        "full_name": "接口用户",
        "mobile": "13522223333",
        "email": "",
        "password": PASSWORD,
        "role_codes": ["applicant_operator"],
    }
    body.update(overrides)
    return body


def test_lists_are_scoped_by_organization(demo_users, api_for):
    org = demo_users["applicant_admin"].organization
    response = api_for("applicant_admin").get("/api/v1/organizations/")
    assert response.status_code == 200 and ids(response) == {org.pk}
    users = api_for("applicant_admin").get("/api/v1/users/")
    assert ids(users) == set(User.objects.filter(organization=org).values_list("pk", flat=True))
    assert ids(api_for("platform_admin").get("/api/v1/organizations/")) == set(
        Organization.objects.values_list("pk", flat=True)
    )
    roles = api_for("applicant_admin").get("/api/v1/roles/").json()["results"]
    assert {r["org_type"] for r in roles} == {"applicant"}
    other = demo_users["guarantor_reviewer"]
    assert_api_error(api_for("applicant_admin").get(f"/api/v1/users/{other.pk}/"), 403, "permission_denied")


def test_create_user_and_error_codes(demo_users, api_for):
    api = api_for("applicant_admin")
    org = demo_users["applicant_admin"].organization
    response = api.post("/api/v1/users/", new_user(org), format="json")
    assert response.status_code == 201, response.content
    assert response.json()["roles"] == ["applicant_operator"] and response.json()["must_change_password"]
    before = User.objects.count()
    body = assert_api_error(
        api.post("/api/v1/users/", new_user(org, username="apiuser2"), format="json"), 400, "duplicate_mobile"
    )
    assert body["error"]["message"] == "该手机号码已被其他账号使用。"
    assert body["error"]["details"] == {"mobile": ["该手机号码已被其他账号使用。"]}
    body = assert_api_error(
        api.post(
            "/api/v1/users/", new_user(org, username="apiuser3", mobile="13522224444", password="weak"), format="json"
        ),
        400,
        "weak_password",
    )
    assert "password" in body["error"]["details"]
    assert_api_error(
        api.post(
            "/api/v1/users/",
            new_user(org, username="apiuser4", mobile="13522225555", role_codes=["guarantor_reviewer"]),
            format="json",
        ),
        400,
        "role_not_assignable",
    )
    assert_api_error(
        api.post(
            "/api/v1/users/",
            new_user(org, username="apiuser5", mobile="13522226666", role_codes=["nope"]),
            format="json",
        ),
        400,
        "unknown_role",
    )
    no_org = {k: v for k, v in new_user(org, username="apiuser7", mobile="13522228888").items() if k != "organization"}
    body = assert_api_error(api.post("/api/v1/users/", no_org, format="json"), 400, "validation_error")
    assert "organization" in body["error"]["details"]
    other_org = demo_users["guarantor_admin"].organization
    assert_api_error(
        api.post("/api/v1/users/", new_user(other_org, username="apiuser6", mobile="13522227777"), format="json"),
        403,
        "permission_denied",
    )
    assert User.objects.count() == before


def test_permission_denied_and_not_authenticated(demo_users, api_for):
    body = assert_api_error(api_for("applicant_operator").get("/api/v1/users/"), 403, "permission_denied")
    assert set(body["error"]) == {"code", "message", "details"}
    anonymous = APIClient().get("/api/v1/users/")
    assert anonymous.status_code in (401, 403)
    assert anonymous.json()["error"]["code"] == "not_authenticated"


def test_lock_unlock_and_deactivate(demo_users, api_for):
    api = api_for("applicant_admin")
    target = demo_users["applicant_operator"]
    response = api.post(f"/api/v1/users/{target.pk}/lock/")
    assert response.status_code == 200 and response.json()["status"] == UserStatus.LOCKED
    assert_api_error(api.post(f"/api/v1/users/{target.pk}/lock/"), 409, "invalid_state")
    assert api.post(f"/api/v1/users/{target.pk}/unlock/").json()["status"] == UserStatus.ACTIVE
    me = demo_users["applicant_admin"]
    assert_api_error(api.post(f"/api/v1/users/{me.pk}/lock/"), 403, "permission_denied")
    assert api.delete(f"/api/v1/users/{target.pk}/").status_code == 204
    target.refresh_from_db()
    assert target.status == UserStatus.DEACTIVATED and not target.is_active


def test_assign_roles(demo_users, api_for):
    api = api_for("platform_security")
    target = demo_users["applicant_operator"]
    response = api.post(f"/api/v1/users/{target.pk}/roles/", {"role_codes": ["applicant_admin"]}, format="json")
    assert response.status_code == 200 and response.json()["roles"] == ["applicant_admin"]
    assert_api_error(
        api.post(f"/api/v1/users/{target.pk}/roles/", {"role_codes": ["platform_admin"]}, format="json"),
        400,
        "role_not_assignable",
    )
    assert list(target.groups.values_list("role__code", flat=True)) == ["applicant_admin"]


def test_role_api_create_update_delete(demo_users, api_for):
    api = api_for("platform_security")
    response = api.post(
        "/api/v1/roles/",
        {"name": "接口角色", "code": "api_role", "org_type": "guarantor", "permissions": ["accounts.view_user"]},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["permissions"] == ["accounts.view_user"]
    role_id = response.json()["id"]
    response = api.patch(f"/api/v1/roles/{role_id}/", {"enabled": False}, format="json")
    assert response.status_code == 200 and response.json()["enabled"] is False
    assert response.json()["permissions"] == ["accounts.view_user"]
    assert_api_error(
        api.post(
            "/api/v1/roles/",
            {"name": "x", "code": "y", "org_type": "guarantor", "permissions": ["no.such"]},
            format="json",
        ),
        400,
        "unknown_permission",
    )
    builtin = Role.objects.get(code="guarantor_reviewer")
    assert_api_error(api.delete(f"/api/v1/roles/{builtin.pk}/"), 409, "role_in_use")
    assert api.delete(f"/api/v1/roles/{role_id}/").status_code == 204
    assert not Role.objects.filter(pk=role_id).exists()


def test_approve_and_reject_through_the_api(demo_users, api_for):
    org, _ = services.register_organization(**reg())
    api = api_for("platform_admin")
    response = api.post(f"/api/v1/organizations/{org.pk}/approve/")
    assert response.status_code == 200 and response.json()["status"] == OrgStatus.APPROVED
    assert_api_error(api.post(f"/api/v1/organizations/{org.pk}/approve/"), 409, "already_reviewed")
    assert_api_error(
        api_for("applicant_admin").post(f"/api/v1/organizations/{org.pk}/approve/"), 403, "permission_denied"
    )


def test_refused_account_session_gets_json_401(demo_users, api_for):
    api = api_for("applicant_operator")
    User.objects.filter(username="applicant_operator").update(status=UserStatus.LOCKED)
    assert_api_error(api.get("/api/v1/organizations/"), 401, "user_locked")
