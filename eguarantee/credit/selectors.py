"""What each user may see of credit records, and the per-enterprise summary.

- an enterprise sees the records about itself;
- a guarantor also sees every record of the applicants that applied to it (the guarantees
  it may see, by the guarantees module's own rule), to judge whom it works with (6.9);
- a department also sees the records on guarantees it is in charge of (归口, by the same rule);
- platform staff see all.
"""

from django.db.models import Count, Q

from eguarantee.accounts.choices import OrgType
from eguarantee.accounts.models import Organization
from eguarantee.guarantees.selectors import guarantees_for

from .choices import Polarity, RecordKind
from .models import CreditRecord


def _scope(user, prefix=""):
    """The Q this user may see, over CreditRecord (or over a relation to it, `prefix`
    "credit_records__"), or None for everything."""
    if user.is_platform:
        return None
    org = user.organization_id
    if org is None:
        return Q(**{f"{prefix}pk__in": []})
    scope = Q(**{f"{prefix}organization_id": org})
    org_type = user.organization.org_type
    if org_type == OrgType.GUARANTOR:
        applied = guarantees_for(user).filter(guarantor_id=org).values("applicant_id")
        scope |= Q(**{f"{prefix}organization_id__in": applied})
    elif org_type == OrgType.DEPARTMENT:
        scope |= Q(**{f"{prefix}guarantee_id__in": guarantees_for(user).values("pk")})
    return scope


def records_for(user):
    qs = CreditRecord.objects.select_related("organization", "guarantee")
    if not user.is_authenticated:
        return qs.none()
    scope = _scope(user)
    return qs if scope is None else qs.filter(scope)


def organizations_for(user):
    """The enterprises with at least one record this user may see, each with its counts
    per kind (`late_payment_count`, …), per polarity (`negative_count`, …) and in all
    (`total_count`), over those visible records only: one grouped query."""
    if not user.is_authenticated:
        return Organization.objects.none()
    scope = _scope(user, prefix="credit_records__")
    # The filter before annotate() joins the records once; the counts then run over the
    # joined rows, i.e. over the visible records only.
    qs = Organization.objects.filter(scope if scope is not None else Q(credit_records__isnull=False))
    counts = {f"{kind}_count": _count(kind=kind) for kind in RecordKind.values}
    counts.update({f"{polarity}_count": _count(polarity=polarity) for polarity in Polarity.values})
    return qs.annotate(total_count=Count("credit_records"), **counts)


def _count(**match):
    return Count("credit_records", filter=Q(**{f"credit_records__{k}": v for k, v in match.items()}))


def organization_summary(user, organization):
    """{kind: count} (every kind, zeros included) of the records about `organization` this
    user may see, with the total."""
    counts = dict(
        records_for(user).filter(organization=organization).values_list("kind").annotate(n=Count("pk")).order_by()
    )
    rows = [(RecordKind(kind), counts.get(kind, 0)) for kind in RecordKind.values]
    return {"rows": rows, "total": sum(counts.values())}
