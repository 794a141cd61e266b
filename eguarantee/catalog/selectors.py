"""What each user may see of guarantee types and templates."""

from django.db.models import Q

from .choices import TemplateStatus
from .models import GuaranteeTemplate, GuaranteeType


def types_for(user):
    """Every signed-in user may read the types: applicants choose one when they apply."""
    return GuaranteeType.objects.all()


def enabled_types():
    return GuaranteeType.objects.filter(enabled=True)


def templates_for(user):
    """The platform sees every template; a guarantor its own and the platform defaults."""
    qs = GuaranteeTemplate.objects.select_related("guarantee_type", "guarantor")
    if user.is_platform:
        return qs
    return qs.filter(Q(guarantor_id=user.organization_id) | Q(guarantor__isnull=True))


def template_in_force(guarantor, guarantee_type):
    """The published template a guarantee of this type from this guarantor is issued with:
    the guarantor's own, else the platform's default; None when neither is published."""
    published = GuaranteeTemplate.objects.filter(guarantee_type=guarantee_type, status=TemplateStatus.PUBLISHED)
    own = published.filter(guarantor=guarantor).order_by("-version").first() if guarantor is not None else None
    return own or published.filter(guarantor__isnull=True).order_by("-version").first()
