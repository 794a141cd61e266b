"""What each user may see of the guarantors, and the reads other modules use.

Three audiences: platform staff see every guarantor; a guarantor's own users see their own
records only (another guarantor's record answers 403); everyone else who holds the view
permission (applicants choosing a guarantor, beneficiaries, departments) sees the public
face — enabled institutions of approved guarantors, their enabled offers and published
clauses, never qualification certificates."""

from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from eguarantee.accounts.choices import OrgStatus, OrgType
from eguarantee.accounts.models import Organization
from eguarantee.accounts.selectors import role_holders
from eguarantee.accounts.validators import jurisdiction_prefix
from eguarantee.core import regions

from . import figures
from .choices import ClauseStatus
from .models import Clause, GuarantorProfile, Offer, Qualification, valid_on_q


def _is_guarantor(user):
    return user.organization_id is not None and user.organization.org_type == OrgType.GUARANTOR


def _public_guarantors():
    return Q(guarantor__status=OrgStatus.APPROVED, guarantor__guarantor_profile__enabled=True)


def profiles_for(user):
    qs = GuarantorProfile.objects.select_related("organization")
    if user.is_platform:
        return qs
    if _is_guarantor(user):
        return qs.filter(organization_id=user.organization_id)
    return qs.filter(enabled=True, organization__status=OrgStatus.APPROVED)


def qualifications_for(user):
    qs = Qualification.objects.select_related("guarantor")
    if user.is_platform:
        return qs
    if _is_guarantor(user):
        return qs.filter(guarantor_id=user.organization_id)
    return qs.none()


def offers_for(user):
    qs = Offer.objects.select_related("guarantor", "guarantee_type")
    if user.is_platform:
        return qs
    if _is_guarantor(user):
        return qs.filter(guarantor_id=user.organization_id)
    return qs.filter(_public_guarantors(), enabled=True)


def clauses_for(user):
    qs = Clause.objects.select_related("guarantor", "guarantee_type")
    if user.is_platform:
        return qs
    if _is_guarantor(user):
        return qs.filter(guarantor_id=user.organization_id)
    return qs.filter(_public_guarantors(), status=ClauseStatus.PUBLISHED)


def manageable_guarantors(user):
    """Guarantor organizations this user may keep records for (form choices)."""
    qs = Organization.objects.filter(org_type=OrgType.GUARANTOR).order_by("name")
    if user.is_platform:
        return qs
    if _is_guarantor(user):
        return qs.filter(pk=user.organization_id)
    return qs.none()


def sees_figures(user, guarantor_id):
    """Issued counts and capacity used are for the platform and the guarantor itself."""
    return user.is_platform or user.organization_id == guarantor_id


def guarantor_admins(organization):
    """Active users of the organization holding the (enabled) guarantor administrator role."""
    return role_holders("guarantor_admin", organization)


def region_covered_q(region_code, field="regions"):
    """Offers whose region list holds the code or one of its ancestors (350000 covers
    350203). The list is JSON; each code is looked for with its quotes, so 3502 never
    matches 350200."""
    query = Q()
    for code in regions.ancestors(region_code):
        query |= Q(**{f"{field}__icontains": f'"{code}"'})
    return query


def covers(offer_regions, region_code):
    """Python twin of region_covered_q, by the departments' prefix rule."""
    return any(region_code.startswith(jurisdiction_prefix(code)) for code in offer_regions or [])


def selectable_guarantors(guarantee_type=None, region_code=None, amount=None, *, on_date=None):
    """Guarantors an applicant may choose (the guarantee application uses this): approved
    organization, enabled profile, at least one qualification valid on the day and — when a
    type, region or amount is given — an enabled offer for an enabled type that serves the
    region and can take the amount (single limit, and total capacity less what the platform
    counts as outstanding). Returns Organizations with their profile loaded."""
    day = on_date or timezone.localdate()
    qualified = Qualification.objects.filter(valid_on_q(day)).values("guarantor_id")
    orgs = Organization.objects.filter(
        org_type=OrgType.GUARANTOR,
        status=OrgStatus.APPROVED,
        guarantor_profile__enabled=True,
        pk__in=qualified,
    )
    if guarantee_type is None and not region_code and amount is None:
        return orgs.select_related("guarantor_profile").order_by("guarantor_profile__short_code")
    offers = Offer.objects.filter(enabled=True, guarantee_type__enabled=True, guarantor__in=orgs)
    if guarantee_type is not None:
        if isinstance(guarantee_type, str):
            offers = offers.filter(guarantee_type__code=guarantee_type)
        else:
            offers = offers.filter(guarantee_type=guarantee_type)
    if region_code:
        if not regions.is_valid(region_code):
            return orgs.none()
        offers = offers.filter(region_covered_q(region_code))
    matching = []
    for offer in offers.select_related("guarantor", "guarantee_type"):
        if region_code and not covers(offer.regions, region_code):
            continue
        if amount is not None and not has_room(offer, Decimal(amount)):
            continue
        matching.append(offer.guarantor_id)
    return (
        Organization.objects.filter(pk__in=matching)
        .select_related("guarantor_profile")
        .order_by("guarantor_profile__short_code")
    )


def has_room(offer, amount):
    if amount <= 0 or amount > offer.max_single_amount:
        return False
    counted = figures.for_offer(offer)
    outstanding = counted.outstanding_amount if counted else Decimal("0")
    return outstanding + amount <= offer.total_capacity


def clause_in_force(guarantor, guarantee_type, on_date=None):
    """The published clause version in force for this guarantor and type on the day, or
    None. `guarantor` is an Organization (or its id); `guarantee_type` a GuaranteeType, its
    id or its code."""
    day = on_date or timezone.localdate()
    qs = Clause.objects.filter(
        guarantor=guarantor,
        status=ClauseStatus.PUBLISHED,
        effective_from__lte=day,
    ).filter(Q(effective_to__isnull=True) | Q(effective_to__gte=day))
    if isinstance(guarantee_type, str):
        qs = qs.filter(guarantee_type__code=guarantee_type)
    else:
        qs = qs.filter(guarantee_type=guarantee_type)
    return qs.order_by("-effective_from", "-version").first()
