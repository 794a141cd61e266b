"""The permission matrix: every page and API route × every built-in role.

One line per route in ROUTES. A module that adds a URL adds its line here; the coverage test
fails until it does. Each line names the roles that may open the route; every other role must
get 403, and an anonymous visitor the login page (pages) or a 401/403 JSON error (API).

三权分立: platform_admin runs accounts, platform_security roles, platform_auditor the logs.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from eguarantee.accounts import demo
from eguarantee.accounts.choices import OrgStatus, OrgType, UserStatus
from eguarantee.accounts.models import Organization, Role, User
from eguarantee.accounts.roles import DEFAULT_ROLES
from eguarantee.audit.models import LoginLog, ObjectChange, OperationLog
from eguarantee.notifications.models import SmsMessage

ALL_ROLES = [code for code, *_ in DEFAULT_ROLES]
EVERYONE = frozenset(ALL_ROLES)
ORG_ADMINS = frozenset({"applicant_admin", "guarantor_admin", "beneficiary_admin", "department_admin"})
ORG_OPERATORS = frozenset({"applicant_operator", "guarantor_reviewer", "beneficiary_operator", "department_inspector"})
ADMIN = frozenset({"platform_admin"})
SECURITY = frozenset({"platform_security"})
AUDITOR = frozenset({"platform_auditor"})

VIEW_ORGANIZATION = ADMIN | SECURITY | ORG_ADMINS | ORG_OPERATORS
CHANGE_ORGANIZATION = ADMIN | ORG_ADMINS
VIEW_USER = ADMIN | SECURITY | ORG_ADMINS
MANAGE_USER = ADMIN | ORG_ADMINS  # add / change / delete / reset password
LOCK_USER = ADMIN | SECURITY | ORG_ADMINS
ASSIGN_ROLE = SECURITY | ORG_ADMINS
VIEW_ROLE = SECURITY | ORG_ADMINS

# Public pages: no login, no matrix line.
PUBLIC = {
    "portal:home",
    "portal:apply",
    "portal:verify",
    "portal:claim",
    "accounts:login",
    "accounts:register",
    "accounts:password_forgot",
    "accounts:password_reset",
    "healthz",
    "readyz",
    "api-schema",
    "api-docs",
}
# URL namespaces (and top-level names) whose routes the matrix must cover.
COVERED_NAMESPACES = {"accounts", "audit", "notifications", "core", "portal", "api"}


class Objects:
    """Demo objects a route's kwargs are built from, seen from the acting role."""

    def __init__(self, users, role):
        self.users = users
        self.actor = users[role]
        self.org = self.actor.organization

    def colleague(self, status=UserStatus.ACTIVE):
        """A plain user in the actor's own organization (never the actor: some actions refuse self)."""
        n = User.objects.count() + 1
        return User.objects.create(
            username=f"colleague{n}",
            full_name="同事",
            organization=self.org,
            mobile=f"1380000{n:04d}",
            status=status,
            password_changed_at=timezone.now(),
        )

    def pending_org(self):
        n = Organization.objects.count() + 1
        return Organization.objects.create(
            name=f"待审批单位{n}",
            credit_code=demo.credit_code("91350203", 1000 + n),
            org_type=OrgType.APPLICANT,
            region_code="350203",
            status=OrgStatus.PENDING,
        )

    def spare_org(self, status=OrgStatus.APPROVED):
        """An organization nobody logged in belongs to, so locking it logs no-one out."""
        n = Organization.objects.count() + 1
        return Organization.objects.create(
            name=f"备用单位{n}",
            credit_code=demo.credit_code("91350206", 2000 + n),
            org_type=OrgType.GUARANTOR,
            region_code="350206",
            status=status,
        )

    def licensed_org(self):
        self.org.business_licence.save("licence.png", ContentFile(PNG), save=True)
        return self.org

    def own_role(self):
        return Role.objects.get(code=self.actor.username)

    def sms(self):
        return SmsMessage.objects.create(mobile="13900000001", content="验证码123456", purpose="password_reset")

    def login_log(self):
        return LoginLog.objects.create(username="someone", success=False, reason="invalid_credentials")

    def operation_log(self):
        return OperationLog.objects.create(
            method="POST", path="/x/", module="测试", action="测试", result="success", status_code=200, duration_ms=1
        )

    def object_change(self):
        return ObjectChange.objects.create(
            action="update",
            content_type=ContentType.objects.get_for_model(Organization),
            object_id=str(self.org.pk if self.org else 1),
            object_repr="测试",
        )


def pk(maker: Callable) -> Callable:
    return lambda o: {"pk": maker(o).pk}


@dataclass(frozen=True)
class Route:
    name: str
    allowed: frozenset
    kwargs: Callable | None = None  # Objects → url kwargs
    method: str = "get"
    data: dict = field(default_factory=dict)
    ok: int = 200  # status an allowed role gets
    anonymous_to: str = "accounts:login"  # where an anonymous page visit is sent

    @property
    def is_api(self):
        return self.name.startswith("api:")

    def __str__(self):
        return f"{self.method.upper()} {self.name}"


ROUTES = [
    # ---- core, notifications
    Route("core:dashboard", EVERYONE),
    Route("notifications:inbox", EVERYONE),
    Route("notifications:mark_read", EVERYONE, method="post", ok=302),
    Route("notifications:sms_list", ADMIN),
    Route("notifications:sms_detail", ADMIN, pk(Objects.sms)),
    # ---- accounts: own account
    Route("accounts:logout", EVERYONE, method="post", ok=302, anonymous_to="portal:home"),
    Route("accounts:profile", EVERYONE),
    Route("accounts:password_change", EVERYONE),
    # ---- accounts: registrations (platform_admin only)
    Route("accounts:registration_list", ADMIN),
    Route("accounts:registration_detail", ADMIN, pk(Objects.pending_org)),
    Route("accounts:registration_approve", ADMIN, pk(Objects.pending_org)),
    Route("accounts:registration_reject", ADMIN, pk(Objects.pending_org)),
    # ---- accounts: organizations
    Route("accounts:organization_list", VIEW_ORGANIZATION),
    Route("accounts:organization_add", ADMIN),
    Route("accounts:organization_detail", VIEW_ORGANIZATION, lambda o: {"pk": o.org.pk}),
    Route("accounts:organization_edit", CHANGE_ORGANIZATION, lambda o: {"pk": o.org.pk}),
    Route("accounts:organization_delete", ADMIN, pk(Objects.spare_org)),
    Route("accounts:organization_lock", ADMIN, pk(Objects.spare_org)),
    Route("accounts:organization_unlock", ADMIN, pk(lambda o: o.spare_org(OrgStatus.LOCKED))),
    Route("accounts:organization_licence", VIEW_ORGANIZATION, pk(Objects.licensed_org)),
    # ---- accounts: users (6.11.2)
    Route("accounts:user_list", VIEW_USER),
    Route("accounts:user_add", MANAGE_USER),
    Route("accounts:user_detail", VIEW_USER, pk(Objects.colleague)),
    Route("accounts:user_edit", MANAGE_USER, pk(Objects.colleague)),
    Route("accounts:user_roles", ASSIGN_ROLE, pk(Objects.colleague)),
    Route("accounts:user_lock", LOCK_USER, pk(Objects.colleague)),
    Route("accounts:user_unlock", LOCK_USER, pk(lambda o: o.colleague(UserStatus.LOCKED))),
    Route("accounts:user_delete", MANAGE_USER, pk(Objects.colleague)),
    Route("accounts:user_reset_password", MANAGE_USER, pk(Objects.colleague)),
    # ---- accounts: roles (6.11.3) — the security administrator's
    Route("accounts:role_list", VIEW_ROLE),
    Route("accounts:role_add", SECURITY),
    Route("accounts:role_detail", VIEW_ROLE, pk(Objects.own_role)),
    Route("accounts:role_edit", SECURITY, pk(Objects.own_role)),
    Route("accounts:role_delete", SECURITY, pk(Objects.own_role)),
    Route("accounts:role_disable", SECURITY, pk(Objects.own_role)),
    Route("accounts:role_enable", SECURITY, pk(Objects.own_role)),
    # ---- audit — the auditor's; the security administrator reads login logs too
    Route("audit:objectchange_list", AUDITOR),
    Route("audit:objectchange_detail", AUDITOR, pk(Objects.object_change)),
    Route("audit:operationlog_list", AUDITOR),
    Route("audit:operationlog_detail", AUDITOR, pk(Objects.operation_log)),
    Route("audit:loginlog_list", AUDITOR | SECURITY),
    Route("audit:loginlog_detail", AUDITOR | SECURITY, pk(Objects.login_log)),
    # ---- API /api/v1/
    Route("api:organization-list", VIEW_ORGANIZATION),
    Route("api:organization-detail", VIEW_ORGANIZATION, lambda o: {"pk": o.org.pk}),
    Route("api:organization-approve", ADMIN, pk(Objects.pending_org), method="post"),
    Route("api:organization-reject", ADMIN, pk(Objects.pending_org), method="post", data={"reason": "资料不全"}),
    Route("api:organization-lock", ADMIN, pk(Objects.spare_org), method="post"),
    Route("api:organization-unlock", ADMIN, pk(lambda o: o.spare_org(OrgStatus.LOCKED)), method="post"),
    Route("api:user-list", VIEW_USER),
    Route("api:user-detail", VIEW_USER, pk(Objects.colleague)),
    Route("api:user-lock", LOCK_USER, pk(Objects.colleague), method="post"),
    Route("api:user-unlock", LOCK_USER, pk(lambda o: o.colleague(UserStatus.LOCKED)), method="post"),
    Route("api:user-roles", ASSIGN_ROLE, pk(Objects.colleague), method="post", data={"role_codes": []}),
    Route("api:role-list", VIEW_ROLE),
    Route("api:role-detail", VIEW_ROLE, pk(Objects.own_role)),
    Route("api:objectchange-list", AUDITOR),
    Route("api:objectchange-detail", AUDITOR, pk(Objects.object_change)),
    Route("api:operationlog-list", AUDITOR),
    Route("api:operationlog-detail", AUDITOR, pk(Objects.operation_log)),
    Route("api:loginlog-list", AUDITOR | SECURITY),
    Route("api:loginlog-detail", AUDITOR | SECURITY, pk(Objects.login_log)),
]

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def _request(client, route, url):
    if route.is_api:
        return getattr(client, route.method)(url, route.data, format="json")
    return getattr(client, route.method)(url, route.data)


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
        response = _request(client, route, _url(route, objects))
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
        response = getattr(client, route.method)(_url(route, objects), route.data)
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


# ---- data scope: an organization's administrator sees only their own organization; another
# organization's record answers 403, an id that exists nowhere 404.

SCOPE = [
    # (role, route name, target maker, expected status)
    ("applicant_admin", "accounts:user_detail", lambda u: u["guarantor_admin"], 403),
    ("applicant_admin", "accounts:user_edit", lambda u: u["guarantor_reviewer"], 403),
    ("applicant_admin", "accounts:user_lock", lambda u: u["platform_admin"], 403),
    ("applicant_admin", "accounts:user_roles", lambda u: u["beneficiary_operator"], 403),
    ("guarantor_admin", "accounts:user_reset_password", lambda u: u["applicant_operator"], 403),
    ("department_admin", "accounts:user_delete", lambda u: u["applicant_admin"], 403),
    ("applicant_admin", "accounts:user_detail", lambda u: u["applicant_operator"], 200),
    ("applicant_admin", "accounts:organization_detail", lambda u: u["guarantor_admin"].organization, 403),
    ("applicant_admin", "accounts:organization_edit", lambda u: u["guarantor_admin"].organization, 403),
    ("applicant_operator", "accounts:organization_detail", lambda u: u["beneficiary_admin"].organization, 403),
    ("applicant_admin", "accounts:role_detail", lambda u: Role.objects.get(code="guarantor_admin"), 403),
    ("applicant_admin", "api:user-detail", lambda u: u["guarantor_admin"], 403),
    ("applicant_admin", "api:organization-detail", lambda u: u["guarantor_admin"].organization, 403),
    ("platform_security", "accounts:user_detail", lambda u: u["applicant_operator"], 200),
    ("platform_admin", "accounts:organization_detail", lambda u: u["guarantor_admin"].organization, 200),
]


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
