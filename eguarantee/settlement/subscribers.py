"""How settlement hears of guarantees: in-transaction subscribers to the guarantees' domain
events (DESIGN.md §4). Each writes its record inside the transaction of the fact, so the
record commits or rolls back with it, and an error here undoes the fact rather than leaving
a guarantee issued without its ledger line.

Kept cheap: at most one small read and one or two INSERTs per fact.

Release, early release, surrender and claim need no subscriber: a ledger line shows its
guarantee's own status and closing time through the one-to-one join (see LedgerLine), so
the daily release job — 100,000 guarantees in one run — costs settlement nothing.
"""

from decimal import Decimal, InvalidOperation

from django.utils import timezone

from eguarantee.core import events

from .choices import FeeKind
from .models import FeeRecord, LedgerLine


def record_issue(name, guarantee, event=None, actor=None, **_):
    """业务台账 line and the premium receivable, from the guarantee as issued."""
    from eguarantee.guarantees.models import Guarantee

    # The project and section names in one read (the issuing transition refetched the
    # guarantee under its lock, without its relations).
    names = Guarantee.objects.filter(pk=guarantee.pk).values("project__name", "section__name").get()
    premium = guarantee.premium or Decimal("0.00")
    LedgerLine.objects.create(
        guarantee=guarantee,
        number=guarantee.number,
        guarantee_type_id=guarantee.guarantee_type_id,
        applicant_id=guarantee.applicant_id,
        guarantor_id=guarantee.guarantor_id,
        beneficiary_name=guarantee.beneficiary_name,
        project_name=names["project__name"] or "",
        section_name=names["section__name"] or "",
        department_id=guarantee.department_id,
        amount=guarantee.amount,
        premium=premium,
        rate=guarantee.rate,
        start_date=guarantee.start_date,
        end_date=guarantee.end_date,
        issued_at=guarantee.issued_at or _when(event),
    )
    if premium:
        _fee(guarantee, FeeKind.RECEIVABLE, premium, event, reference=guarantee.number)


def record_payment(name, guarantee, event=None, actor=None, **_):
    """The premium arrived: through the payment gateway, or confirmed by the guarantor."""
    if guarantee.premium:
        reference = str((event.data or {}).get("reference", "")) if event is not None else ""
        _fee(guarantee, FeeKind.RECEIVED, guarantee.premium, event, reference=reference)


def record_cancel(name, guarantee, event=None, actor=None, **_):
    """A paid application cancelled: the premium goes back to the applicant. The event
    carries the amount when (and only when) the premium had been paid."""
    refund = _amount((event.data or {}).get("refund")) if event is not None else None
    if refund:
        _fee(guarantee, FeeKind.REFUND, refund, event, payer_id=guarantee.guarantor_id, payee_id=guarantee.applicant_id)


def record_amendment(name, guarantee, event=None, actor=None, **_):
    """An accepted amendment (保函变更) changed the amount and/or the end date: the line
    shows the terms in force. Rare, so one UPDATE is fine."""
    LedgerLine.objects.filter(guarantee_id=guarantee.pk).update(amount=guarantee.amount, end_date=guarantee.end_date)


def _fee(guarantee, kind, amount, event, *, reference="", payer_id=None, payee_id=None):
    return FeeRecord.objects.create(
        guarantee=guarantee,
        kind=kind,
        amount=amount,
        payer_id=payer_id or guarantee.applicant_id,
        payee_id=payee_id or guarantee.guarantor_id,
        occurred_at=_when(event),
        reference=reference[:100],
    )


def _when(event):
    return getattr(event, "created_at", None) or timezone.now()


def _amount(value):
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        return None
    return amount if amount.is_finite() and amount > 0 else None


SUBSCRIPTIONS = {
    "guarantee.issue": record_issue,
    "guarantee.gateway_paid": record_payment,
    "guarantee.confirm_payment": record_payment,
    "guarantee.cancel": record_cancel,
    "guarantee.amend_accept": record_amendment,
}


def connect():
    for name, handler in SUBSCRIPTIONS.items():
        events.subscribe(name, handler)
