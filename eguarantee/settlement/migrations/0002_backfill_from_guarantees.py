"""Ledger lines and fee records for guarantees issued, paid or refunded before settlement
was installed (an existing database, e.g. `make run`'s demo loaded earlier); from then on the
subscribers write them. Reads the guarantees' own timeline; writes nothing twice."""

from decimal import Decimal, InvalidOperation

from django.db import migrations

ISSUED_STATES = ("issued", "surrender_requested", "released", "surrendered", "claimed")
PAYMENT_ACTIONS = ("confirm_payment", "gateway_paid")


def backfill(apps, schema_editor):
    Guarantee = apps.get_model("guarantees", "Guarantee")
    GuaranteeEvent = apps.get_model("guarantees", "GuaranteeEvent")
    LedgerLine = apps.get_model("settlement", "LedgerLine")
    FeeRecord = apps.get_model("settlement", "FeeRecord")
    have_line = set(LedgerLine.objects.values_list("guarantee_id", flat=True))
    have_fee = set(FeeRecord.objects.values_list("guarantee_id", "kind"))
    lines, fees = [], []

    def fee(g, kind, amount, when, reference="", refund=False):
        if amount and (g.pk, kind) not in have_fee and g.guarantor_id:
            have_fee.add((g.pk, kind))
            payer, payee = (g.guarantor_id, g.applicant_id) if refund else (g.applicant_id, g.guarantor_id)
            fees.append(
                FeeRecord(
                    guarantee_id=g.pk,
                    kind=kind,
                    amount=amount,
                    payer_id=payer,
                    payee_id=payee,
                    occurred_at=when,
                    reference=reference[:100],
                )
            )

    issued = Guarantee.objects.filter(status__in=ISSUED_STATES, guarantor__isnull=False).select_related(
        "project", "section"
    )
    for g in issued.iterator():
        if g.pk in have_line:
            continue
        when = g.issued_at or g.updated_at
        lines.append(
            LedgerLine(
                guarantee_id=g.pk,
                number=g.number or g.order_number,
                guarantee_type_id=g.guarantee_type_id,
                applicant_id=g.applicant_id,
                guarantor_id=g.guarantor_id,
                beneficiary_name=g.beneficiary_name,
                project_name=g.project.name if g.project_id else "",
                section_name=g.section.name if g.section_id else "",
                department_id=g.department_id,
                amount=g.amount,
                premium=g.premium or Decimal("0.00"),
                rate=g.rate,
                start_date=g.start_date,
                end_date=g.end_date,
                issued_at=when,
            )
        )
        fee(g, "receivable", g.premium, when, g.number or "")
    moves = GuaranteeEvent.objects.filter(action__in=(*PAYMENT_ACTIONS, "cancel")).select_related("guarantee")
    for event in moves.iterator():
        g = event.guarantee
        if event.action in PAYMENT_ACTIONS:
            fee(g, "received", g.premium, event.created_at, str((event.data or {}).get("reference", "")))
        elif (event.data or {}).get("refund"):
            try:
                refund = Decimal(str(event.data["refund"]))
            except InvalidOperation:
                continue
            if refund.is_finite() and refund > 0:
                fee(g, "refund", refund, event.created_at, refund=True)
    LedgerLine.objects.bulk_create(lines, batch_size=1000)
    FeeRecord.objects.bulk_create(fees, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("settlement", "0001_initial")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
