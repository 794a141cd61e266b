"""What each user may see. Lists, details, exports and the API all read through these."""

from django.db.models import Q

from .choices import OrgStatus, OrgType, UserStatus
from .models import Organization, Role, User


def organizations_for(user):
    qs = Organization.objects.all()
    if user.is_platform:
        return qs
    return qs.filter(pk=user.organization_id)


def pending_registrations_for(user):
    if not user.is_platform:
        return Organization.objects.none()
    return Organization.objects.filter(status=OrgStatus.PENDING).prefetch_related("users")


def users_for(user):
    qs = User.objects.select_related("organization")
    if user.is_platform:
        return qs
    return qs.filter(organization_id=user.organization_id)


def roles_for(user):
    qs = Role.objects.all()
    if user.is_platform:
        return qs
    org_type = user.organization.org_type if user.organization_id else None
    return qs.filter(org_type=org_type)


def assignable_roles(actor, target_user):
    """Roles the actor may give the target: enabled, of the target organization's type."""
    org_type = target_user.organization.org_type if target_user.organization_id else None
    qs = roles_for(actor).filter(enabled=True, org_type=org_type)
    return qs


def find_login_user(identifier):
    identifier = (identifier or "").strip()
    if not identifier:
        return None
    return (
        User.objects.select_related("organization")
        .filter(Q(username__iexact=identifier) | Q(mobile=identifier))
        .order_by("pk")
        .first()
    )


def role_holders(role_code, organization=None):
    """Active users holding the (enabled) role, of one organization when given: who is told
    of what concerns that role."""
    users = User.objects.filter(
        is_active=True, status=UserStatus.ACTIVE, groups__role__code=role_code, groups__role__enabled=True
    )
    if organization is not None:
        users = users.filter(organization=organization)
    return users.distinct()


def platform_admins():
    return role_holders("platform_admin").filter(organization__org_type=OrgType.PLATFORM)
