"""The permission matrix: every page and API route × every built-in role.

Each app lists its routes in `<app>/tests/matrix.py` (see eguarantee/core/matrix.py). Each
line names the roles that may open the route; every other role must get 403, and an
anonymous visitor the login page (pages) or a 401/403 JSON error (API). The coverage test
fails until every route of a covered namespace has its line.
"""

from urllib.parse import urlsplit

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from eguarantee.core.apphooks import app_modules
from eguarantee.core.matrix import ALL_ROLES, Objects

MODULES = list(app_modules("tests.matrix"))
ROUTES = [route for module in MODULES for route in module.ROUTES]
PUBLIC = set().union(*(getattr(module, "PUBLIC", set()) for module in MODULES))
COVERED_NAMESPACES = set().union(*(getattr(module, "NAMESPACES", set()) for module in MODULES))
SCOPE = [line for module in MODULES for line in getattr(module, "SCOPE", [])]


def _request(client, route, url, objects):
    if route.is_api:
        return getattr(client, route.method)(url, route.payload(objects), format="json")
    return getattr(client, route.method)(url, route.payload(objects))


def _url(route, objects):
    return reverse(route.name, kwargs=route.kwargs(objects) if route.kwargs else {})


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES)
def test_role_against_every_route(role, demo_users, client_for, api_for):
    """allowed → 200 (302 for POST actions that redirect), any other logged-in role → 403."""
    objects = Objects(demo_users, role)
    failures = []
    clients = {"page": client_for(role), "api": api_for(role)}  # one each: a new client reloads middleware
    for route in ROUTES:
        client = clients["api" if route.is_api else "page"]
        response = _request(client, route, _url(route, objects), objects)
        if route.name == "accounts:logout":
            clients["page"] = client_for(role)
        expected = route.ok if role in route.allowed else 403
        if response.status_code != expected:
            failures.append(f"{route}: expected {expected}, got {response.status_code}")
        elif expected == 403 and route.is_api and response.json()["error"]["code"] != "permission_denied":
            failures.append(f"{route}: 403 without the permission_denied error code")
    assert not failures, f"{role}:\n" + "\n".join(failures)


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(demo_users, client):
    """Pages redirect to the login page; the API answers a JSON not_authenticated error."""
    objects = Objects(demo_users, "platform_admin")
    failures = []
    for route in ROUTES:
        response = getattr(client, route.method)(_url(route, objects), route.payload(objects))
        if route.is_api:
            ok = response.status_code in (401, 403) and response.json()["error"]["code"] == "not_authenticated"
        else:
            location = response.get("Location", "")
            ok = response.status_code == 302 and urlsplit(location).path == reverse(route.anonymous_to)
        if not ok:
            failures.append(f"{route}: {response.status_code} {response.get('Location', '')}")
    assert not failures, "\n".join(failures)


def _route_names(patterns, namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else entry.namespace or namespace
            yield from _route_names(entry.url_patterns, inner or "")
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}:{entry.name}" if namespace else entry.name


def test_matrix_covers_every_route():
    names = set(_route_names(get_resolver().url_patterns))
    covered = {n for n in names if n.split(":")[0] in COVERED_NAMESPACES or ":" not in n}
    missing = covered - PUBLIC - {r.name for r in ROUTES}
    assert not missing, f"routes without a permission-matrix line: {sorted(missing)}"
    stale = {r.name for r in ROUTES} - names
    assert not stale, f"matrix lines for routes that no longer exist: {sorted(stale)}"
    assert not PUBLIC - names, f"public names that no longer exist: {sorted(PUBLIC - names)}"


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "name", "target", "status"), SCOPE, ids=lambda v: v if isinstance(v, str) else "")
def test_data_scope(role, name, target, status, demo_users, client_for, api_for):
    client = api_for(role) if name.startswith("api:") else client_for(role)
    response = client.get(reverse(name, kwargs={"pk": target(demo_users).pk}))
    assert response.status_code == status


@pytest.mark.django_db
def test_unknown_ids_are_404_not_403(client_for, api_for):
    assert client_for("applicant_admin").get(reverse("accounts:user_detail", kwargs={"pk": 987654})).status_code == 404
    assert api_for("applicant_admin").get(reverse("api:user-detail", kwargs={"pk": 987654})).status_code == 404


@pytest.mark.django_db
def test_org_admin_lists_only_own_users(client_for, api_for):
    text = client_for("applicant_admin").get(reverse("accounts:user_list")).content.decode()
    assert "applicant_operator" in text
    for other in ("guarantor_admin", "platform_admin", "beneficiary_operator"):
        assert other not in text
    body = api_for("guarantor_admin").get(reverse("api:user-list")).json()
    assert {row["username"] for row in body["results"]} == {"guarantor_admin", "guarantor_reviewer"}


@pytest.mark.django_db
def test_org_admin_lists_only_own_organization(api_for):
    body = api_for("beneficiary_admin").get(reverse("api:organization-list")).json()
    assert [row["name"] for row in body["results"]] == ["厦门市城市建设投资集团有限公司"]
