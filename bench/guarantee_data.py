"""The data generator for the guarantee benchmarks: N guarantees in one INSERT … SELECT on
PostgreSQL (generate_series), of which a given number expired yesterday and the rest end
within the year. Run inside a configured Django process."""

from django.db import connection
from django.utils import timezone


def generate(total, expired, *, applicant, guarantor, beneficiary, guarantee_type, user, department=None):
    """Insert `total` issued guarantees; the first `expired` of them ended yesterday."""
    today = timezone.localdate()
    now = timezone.now()
    sql = """
        INSERT INTO guarantees_guarantee (
            order_number, number, verification_code, guarantee_type_id, status, applicant_id, guarantor_id,
            beneficiary_id, beneficiary_name, beneficiary_credit_code, department_id, amount, outstanding_amount,
            start_date, end_date, sealed, fields, filing_status, issued_at, document, document_sm3,
            document_sha256, created_by_id, created_at, updated_at
        )
        SELECT
            'GEN' || %(stamp)s || lpad(i::text, 9, '0'),
            'GEN' || %(stamp)s || 'TB' || lpad(i::text, 9, '0'),
            'GENCODE1', %(type)s, 'issued', %(applicant)s, %(guarantor)s,
            %(beneficiary)s, %(beneficiary_name)s, %(beneficiary_code)s, %(department)s, 200000, 200000,
            %(start)s::date,
            CASE WHEN i <= %(expired)s THEN %(today)s::date - 1 ELSE %(today)s::date + 1 + (i %% 360) END,
            false, '{}', 'filed', %(now)s, '', '', '', %(user)s, %(now)s, %(now)s
        FROM generate_series(1, %(total)s) AS i
    """
    params = {
        "stamp": now.strftime("%H%M%S"),
        "type": guarantee_type.pk,
        "applicant": applicant.pk,
        "guarantor": guarantor.pk,
        "beneficiary": beneficiary.pk,
        "beneficiary_name": beneficiary.name,
        "beneficiary_code": beneficiary.credit_code,
        "department": department.pk if department else None,
        "start": today.replace(day=1).isoformat(),
        "today": today.isoformat(),
        "expired": expired,
        "total": total,
        "now": now,
        "user": user.pk,
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        cursor.execute("ANALYZE guarantees_guarantee")
