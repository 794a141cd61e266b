"""What the platform computes about a guarantor's business, for the guarantor pages (6.2.2)
and the capacity check when an applicant chooses a guarantor."""

from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce

from eguarantee.guarantors import figures

from .choices import IN_FORCE_STATES, ISSUED_STATES
from .models import Guarantee


def guarantee_figures(guarantor_id, guarantee_type_id):
    """Guarantees ever issued, and the amount still at risk on those in force (the part of a
    guarantee not yet paid out on claims)."""
    rows = Guarantee.objects.filter(guarantor_id=guarantor_id, guarantee_type_id=guarantee_type_id)
    totals = rows.aggregate(
        issued=Count("pk", filter=Q(status__in=ISSUED_STATES)),
        outstanding=Sum(
            Coalesce("outstanding_amount", "amount"), filter=Q(status__in=IN_FORCE_STATES), default=Decimal("0")
        ),
    )
    return figures.Figures(issued_count=totals["issued"], outstanding_amount=totals["outstanding"])


def connect():
    figures.register(guarantee_figures)
