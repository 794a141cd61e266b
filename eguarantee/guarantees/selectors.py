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
