"""The data generator for the guarantee benchmarks: N guarantees in one INSERT … SELECT on
PostgreSQL (generate_series), of which a given number expired yesterday and the rest end
within the year, created one second apart; and the million-row database the benchmarks run
it in (made afresh, dropped afterwards)."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# What a benchmark's script starts with: Django set up, the demo users, `generate_for(n, k)`.
PRELUDE = """
import json, time, django
django.setup()
from eguarantee.accounts import demo
from eguarantee.catalog.models import GuaranteeType
from bench import guarantee_data
users = demo.seed()

def generate_for(total, expired):
    guarantee_data.generate(total, expired, applicant=users["applicant_admin"].organization,
        guarantor=users["guarantor_admin"].organization, beneficiary=users["beneficiary_admin"].organization,
        guarantee_type=GuaranteeType.objects.get(code="bid"), user=users["applicant_operator"],
        department=users["department_admin"].organization)
"""


# The columns every generated guarantee fills, for the PostgreSQL and the SQLite generators.
INSERT_GUARANTEES = """INSERT INTO guarantees_guarantee (
            order_number, number, verification_code, guarantee_type_id, status, applicant_id, guarantor_id,
            beneficiary_id, beneficiary_name, beneficiary_credit_code, department_id, amount, outstanding_amount,
            start_date, end_date, sealed, fields, filing_status, issued_at, document, document_sm3,
            document_sha256, created_by_id, created_at, updated_at
        )"""


def run_in_fresh_database(name, code):
    """Migrate a new PostgreSQL database `name`, run PRELUDE + code there in a Django
    process, drop the database; return the JSON document the code printed last."""
    from bench.list_page import ensure_database

    base = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/eguarantee_bench"
    url = base.rsplit("/", 1)[0] + "/" + name
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "eguarantee.settings",
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-secret-key-" + "y" * 40,
        "DATABASE_URL": url,
        "VAR_DIR": str(ROOT / "var" / f"bench-{name}"),
        "LOG_LEVEL": "WARNING",
        "TASKS_BACKEND": "django_tasks.backends.dummy.DummyBackend",
        "PYTHONPATH": str(ROOT),
    }
    _drop(url)
    ensure_database(url)
    try:
        for command in (["migrate"], ["collectstatic"]):  # production settings serve the manifest's names
            subprocess.run(
                [sys.executable, "manage.py", *command, "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
            )
        out = subprocess.run([sys.executable, "-c", PRELUDE + code], cwd=ROOT, env=env, capture_output=True, text=True)
        if out.returncode:
            raise RuntimeError(f"benchmark script failed:\n{out.stderr[-3000:]}")
    finally:
        _drop(url)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _drop(url):
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(url)
    server = {"host": config["HOST"], "port": config["PORT"] or 5432, "user": config["USER"], "dbname": "postgres"}
    with psycopg.connect(**server, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{config["NAME"]}"')


def generate(total, expired, *, applicant, guarantor, beneficiary, guarantee_type, user, department=None):
    """Insert `total` issued guarantees; the first `expired` of them ended yesterday."""
    from django.db import connection
    from django.utils import timezone

    today = timezone.localdate()
    now = timezone.now()
    sql = """
        {INSERT_GUARANTEES}
        SELECT
            'GEN' || %(stamp)s || lpad(i::text, 9, '0'),
            'GEN' || %(stamp)s || 'TB' || lpad(i::text, 9, '0'),
            'GENCODE1', %(type)s, 'issued', %(applicant)s, %(guarantor)s,
            %(beneficiary)s, %(beneficiary_name)s, %(beneficiary_code)s, %(department)s, 200000, 200000,
            %(start)s::date,
            CASE WHEN i <= %(expired)s THEN %(today)s::date - 1 ELSE %(today)s::date + 1 + (i %% 360) END,
            false, '{}', 'filed', %(now)s, '', '', '', %(user)s,
            %(now)s - (%(total)s - i) * interval '1 second', %(now)s
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
        cursor.execute(sql.replace("{INSERT_GUARANTEES}", INSERT_GUARANTEES), params)
        cursor.execute("ANALYZE guarantees_guarantee")
