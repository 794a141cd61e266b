"""Permission-matrix lines for accounts: own account, registrations, organizations, users,
roles (pages and API). 三权分立: platform_admin runs accounts, platform_security roles."""

from django.core.files.base import ContentFile
from django.utils import timezone

from eguarantee.accounts import demo
from eguarantee.accounts.choices import OrgStatus, OrgType, UserStatus
from eguarantee.accounts.models import Organization, Role, User
from eguarantee.core.matrix import ADMIN, EVERYONE, ORG_ADMINS, ORG_OPERATORS, PNG, SECURITY, Route, pk

NAMESPACES = {"accounts"}
PUBLIC = {"accounts:login", "accounts:register", "accounts:password_forgot", "accounts:password_reset"}

VIEW_ORGANIZATION = ADMIN | SECURITY | ORG_ADMINS | ORG_OPERATORS
CHANGE_ORGANIZATION = ADMIN | ORG_ADMINS
VIEW_USER = ADMIN | SECURITY | ORG_ADMINS
MANAGE_USER = ADMIN | ORG_ADMINS  # add / change / delete / reset password
LOCK_USER = ADMIN | SECURITY | ORG_ADMINS
ASSIGN_ROLE = SECURITY | ORG_ADMINS
VIEW_ROLE = SECURITY | ORG_ADMINS


def colleague(o, status=UserStatus.ACTIVE):
    """A plain user in the actor's own organization (never the actor: some actions refuse self)."""
    n = User.objects.count() + 1
    return User.objects.create(
        username=f"colleague{n}",
        full_name="同事",
        organization=o.org,
        mobile=f"1380000{n:04d}",
        status=status,
        password_changed_at=timezone.now(),
    )


def pending_org(o):
    n = Organization.objects.count() + 1
    return Organization.objects.create(
        name=f"待审批单位{n}",
        credit_code=demo.credit_code("91350203", 1000 + n),
        org_type=OrgType.APPLICANT,
        region_code="350203",
        status=OrgStatus.PENDING,
    )


def spare_org(o, status=OrgStatus.APPROVED):
    """An organization nobody logged in belongs to, so locking it logs no-one out."""
    n = Organization.objects.count() + 1
    return Organization.objects.create(
        name=f"备用单位{n}",
        credit_code=demo.credit_code("91350206", 2000 + n),
        org_type=OrgType.GUARANTOR,
        region_code="350206",
        status=status,
    )


def licensed_org(o):
    o.org.business_licence.save("licence.png", ContentFile(PNG), save=True)
    return o.org


def own_role(o):
    return Role.objects.get(code=o.actor.username)


def own_org(o):
    return {"pk": o.org.pk}


ROUTES = [
    # ---- own account
    Route("accounts:logout", EVERYONE, method="post", ok=302, anonymous_to="portal:home"),
    Route("accounts:profile", EVERYONE),
    Route("accounts:password_change", EVERYONE),
    # ---- registrations (platform_admin only)
    Route("accounts:registration_list", ADMIN),
    Route("accounts:registration_detail", ADMIN, pk(pending_org)),
    Route("accounts:registration_approve", ADMIN, pk(pending_org)),
    Route("accounts:registration_reject", ADMIN, pk(pending_org)),
    # ---- organizations
    Route("accounts:organization_list", VIEW_ORGANIZATION),
    Route("accounts:organization_add", ADMIN),
    Route("accounts:organization_detail", VIEW_ORGANIZATION, own_org),
    Route("accounts:organization_edit", CHANGE_ORGANIZATION, own_org),
    Route("accounts:organization_delete", ADMIN, pk(spare_org)),
    Route("accounts:organization_lock", ADMIN, pk(spare_org)),
    Route("accounts:organization_unlock", ADMIN, pk(lambda o: spare_org(o, OrgStatus.LOCKED))),
    Route("accounts:organization_licence", VIEW_ORGANIZATION, pk(licensed_org)),
    # ---- users (6.11.2)
    Route("accounts:user_list", VIEW_USER),
    Route("accounts:user_add", MANAGE_USER),
    Route("accounts:user_detail", VIEW_USER, pk(colleague)),
    Route("accounts:user_edit", MANAGE_USER, pk(colleague)),
    Route("accounts:user_roles", ASSIGN_ROLE, pk(colleague)),
    Route("accounts:user_lock", LOCK_USER, pk(colleague)),
    Route("accounts:user_unlock", LOCK_USER, pk(lambda o: colleague(o, UserStatus.LOCKED))),
    Route("accounts:user_delete", MANAGE_USER, pk(colleague)),
    Route("accounts:user_reset_password", MANAGE_USER, pk(colleague)),
    # ---- roles (6.11.3) — the security administrator's
    Route("accounts:role_list", VIEW_ROLE),
    Route("accounts:role_add", SECURITY),
    Route("accounts:role_detail", VIEW_ROLE, pk(own_role)),
    Route("accounts:role_edit", SECURITY, pk(own_role)),
    Route("accounts:role_delete", SECURITY, pk(own_role)),
    Route("accounts:role_disable", SECURITY, pk(own_role)),
    Route("accounts:role_enable", SECURITY, pk(own_role)),
    # ---- API
    Route("api:organization-list", VIEW_ORGANIZATION),
    Route("api:organization-detail", VIEW_ORGANIZATION, own_org),
    Route("api:organization-approve", ADMIN, pk(pending_org), method="post"),
    Route("api:organization-reject", ADMIN, pk(pending_org), method="post", data={"reason": "资料不全"}),
    Route("api:organization-lock", ADMIN, pk(spare_org), method="post"),
    Route("api:organization-unlock", ADMIN, pk(lambda o: spare_org(o, OrgStatus.LOCKED)), method="post"),
    Route("api:user-list", VIEW_USER),
    Route("api:user-detail", VIEW_USER, pk(colleague)),
    Route("api:user-lock", LOCK_USER, pk(colleague), method="post"),
    Route("api:user-unlock", LOCK_USER, pk(lambda o: colleague(o, UserStatus.LOCKED)), method="post"),
    Route("api:user-roles", ASSIGN_ROLE, pk(colleague), method="post", data={"role_codes": []}),
    Route("api:role-list", VIEW_ROLE),
    Route("api:role-detail", VIEW_ROLE, pk(own_role)),
]

# An organization's administrator sees only their own organization: another organization's
# record answers 403 (an id that exists nowhere, 404 — tested in the core matrix test).
SCOPE = [
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
