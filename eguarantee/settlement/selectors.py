"""What each user may see of the ledger and the fee records: exactly the guarantees they
may see (guarantees.selectors.guarantees_for — the parties their own, a department its
归口 jurisdiction, the platform all), so the two modules can never disagree. Which roles
may open the pages at all is the permissions' business (roles.py)."""

from django.db.models import Count, Q, Sum

from eguarantee.guarantees.selectors import guarantees_for

from .choices import FeeKind
from .models import FeeRecord, LedgerLine


def _in_scope(queryset, user):
    if user.is_platform:  # every guarantee: spare the database a subquery that keeps all
        return queryset
    return queryset.filter(guarantee__in=guarantees_for(user).values("pk"))


def ledger_lines_for(user):
    qs = LedgerLine.objects.select_related("guarantee", "guarantee_type", "applicant", "guarantor")
    return _in_scope(qs, user)


def fee_records_for(user):
    qs = FeeRecord.objects.select_related("guarantee", "payer", "payee")
    return _in_scope(qs, user)


def ledger_totals(queryset):
    """Count, guaranteed amount and premium of a (filtered) set of lines, in one query."""
    totals = queryset.order_by().aggregate(count=Count("pk"), amount=Sum("amount"), premium=Sum("premium"))
    return {key: value or 0 for key, value in totals.items()}


def fee_totals(queryset):
    """Sums per kind (应收, 实收, 退费) of a (filtered) set of fee records, in one query:
    adding receivables to refunds would mean nothing."""
    sums = {kind: Sum("amount", filter=Q(kind=kind)) for kind in FeeKind.values}
    totals = queryset.order_by().aggregate(count=Count("pk"), **sums)
    return {key: value or 0 for key, value in totals.items()}
