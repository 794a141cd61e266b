"""What each user may see. Lists, details, exports and the API all read through these."""

from django.db.models import Q

from .choices import OrgStatus, OrgType
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


def platform_admins():
    return User.objects.filter(
        organization__org_type=OrgType.PLATFORM,
        is_active=True,
        groups__role__code="platform_admin",
        groups__role__enabled=True,
    ).distinct()
