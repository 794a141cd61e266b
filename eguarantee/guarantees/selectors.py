"""What each user may see of guarantees."""

from django.db.models import Q

from eguarantee.departments.selectors import jurisdiction_departments

from .choices import ISSUED_STATES
from .models import Guarantee, Inspection


def guarantees_for(user):
    """The parties see their own guarantees; departments those they are in charge of (归口);
    the platform every one."""
    qs = Guarantee.objects.select_related("guarantee_type", "applicant", "guarantor", "beneficiary", "project")
    if user.is_platform:
        return qs
    org = user.organization_id
    scope = Q(applicant_id=org) | Q(guarantor_id=org) | Q(beneficiary_id=org)
    departments = list(jurisdiction_departments(user).values_list("pk", flat=True))
    if departments:
        scope |= Q(department_id__in=departments)
    return qs.filter(scope)


def issued_in_jurisdiction(user):
    """Issued guarantees a department's staff may browse when they inspect (6.3.3)."""
    qs = Guarantee.objects.select_related("guarantee_type", "applicant", "guarantor", "project", "section")
    qs = qs.filter(status__in=ISSUED_STATES)
    if user.is_platform:
        return qs
    return qs.filter(department__in=jurisdiction_departments(user))


def inspections_for(user):
    qs = Inspection.objects.select_related("inspector", "organization", "guarantee")
    if user.is_platform:
        return qs
    return qs.filter(organization_id=user.organization_id)


def filed_with(user):
    """Guarantees filed (or once filed) with the departments the user works for."""
    from .choices import FilingStatus

    qs = guarantees_for(user).exclude(filing_status=FilingStatus.NOT_FILED)
    if user.is_platform:
        return qs
    return qs.filter(department__in=jurisdiction_departments(user))


def collusion_warnings_for(user):
    """串标预警: the guarantors of either application, the department in charge, the
    platform; never the applicants."""
    from .models import CollusionWarning

    qs = CollusionWarning.objects.select_related(
        "section__project", "guarantee__applicant", "guarantee__guarantor", "other__applicant", "other__guarantor"
    )
    if user.is_platform:
        return qs
    org = user.organization_id
    scope = Q(guarantee__guarantor_id=org) | Q(other__guarantor_id=org)
    departments = list(jurisdiction_departments(user).values_list("pk", flat=True))
    if departments:
        scope |= Q(guarantee__department_id__in=departments)
    return qs.filter(scope)


def amendments_for(user):
    from .models import Amendment

    return Amendment.objects.filter(guarantee__in=guarantees_for(user)).select_related("guarantee")


def guarantor_quotes(guarantee_type, region_code, amount, *, sort="premium"):
    """The guarantors an applicant may choose for this type, region and amount, each with
    its premium for the amount, rate range, minimum premium, turnaround and credit rating
    (6.6.1: the applicant compares and picks one)."""
    from eguarantee.guarantors.models import Offer
    from eguarantee.guarantors.selectors import selectable_guarantors
    from eguarantee.guarantors.services import quote

    guarantors = list(selectable_guarantors(guarantee_type, region_code, amount))
    offers = Offer.objects.filter(guarantor__in=guarantors, guarantee_type=guarantee_type).select_related(
        "guarantor", "guarantor__guarantor_profile"
    )
    rows = [
        {
            "guarantor": offer.guarantor,
            "profile": offer.guarantor.guarantor_profile,
            "premium": quote(offer, amount),
            "rate_min": offer.rate_min,
            "rate_max": offer.rate_max,
            "min_premium": offer.min_premium,
            "turnaround_hours": offer.turnaround_hours,
            "rating": offer.guarantor.guarantor_profile.credit_rating,
        }
        for offer in offers
    ]
    keys = {
        "premium": lambda r: (r["premium"], r["turnaround_hours"]),
        "turnaround": lambda r: (r["turnaround_hours"], r["premium"]),
        "rating": lambda r: (_rating_rank(r["rating"]), r["premium"]),
    }
    return sorted(rows, key=keys.get(sort, keys["premium"]))


# Chinese credit ratings, best first (AAA … C); anything else sorts last.
_RATINGS = ["AAA", "AA+", "AA", "AA-", "A+", "A", "A-", "BBB+", "BBB", "BBB-", "BB", "B", "CCC", "CC", "C"]


def _rating_rank(rating):
    rating = (rating or "").strip().upper()
    return _RATINGS.index(rating) if rating in _RATINGS else len(_RATINGS)
